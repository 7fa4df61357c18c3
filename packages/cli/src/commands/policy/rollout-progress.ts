import type { Rollout, RolloutWave } from '@fleetops/sdk';
import { printable } from '../../output/printable';
import { formatDuration } from '../jobs/progress';

/** `v1 → v2`, or `none → v1` for a policy that had no released version. */
export const versionsOf = (rollout: Rollout): string =>
  `${rollout.fromVersion === null ? 'none' : `v${rollout.fromVersion}`} → v${rollout.toVersion}`;

/** `12.5%`: a percent with at most one decimal. */
export const formatPercent = (value: number): string => `${Number(value.toFixed(1))}%`;

/** Devices of the waves released so far, per outcome. */
export function reached(rollout: Rollout): {
  applied: number;
  failed: number;
  pending: number;
} {
  const released = rollout.waves.filter((wave) => wave.releasedAt !== null);
  const sum = (pick: (wave: RolloutWave) => number) =>
    released.reduce((total, wave) => total + pick(wave), 0);
  return {
    applied: sum((w) => w.applied),
    failed: sum((w) => w.failed),
    pending: sum((w) => w.pending),
  };
}

/** Whether a wave went out, is done, or waits: `pending`, `released`, `completed`. */
export const waveState = (wave: RolloutWave): 'pending' | 'released' | 'completed' =>
  wave.completedAt !== null ? 'completed' : wave.releasedAt !== null ? 'released' : 'pending';

/** `next wave in 4m10s`, or nothing when none is scheduled. */
export function nextWave(rollout: Rollout, now: Date): string | undefined {
  if (rollout.nextWaveAt === null || rollout.status !== 'running') return undefined;
  return `next wave in ${formatDuration(Date.parse(rollout.nextWaveAt) - now.getTime())}`;
}

/**
 * One plain progress line, e.g.
 * `rollout 3c4d… of corp-baseline v1 → v2 running: wave 1/4, 3/8 applied, 1 failed, 4 pending,
 * failure rate 25% (halts above 5%), next wave in 4m10s`.
 */
export function rolloutLine(rollout: Rollout, now: Date): string {
  const r = reached(rollout);
  const parts = [
    `wave ${rollout.currentWave + 1}/${rollout.waves.length}`,
    `${r.applied}/${rollout.totalDevices} applied`,
    `${r.failed} failed`,
    `${r.pending} pending`,
    `failure rate ${formatPercent(rollout.failureRate)} (halts above ${formatPercent(rollout.haltOnFailurePercent)})`,
    nextWave(rollout, now),
    rollout.haltReason !== null && `halted: ${printable(rollout.haltReason)}`,
  ];
  return `rollout ${rollout.id} of ${rollout.policy} ${versionsOf(rollout)} ${rollout.status}: ${parts.filter(Boolean).join(', ')}`;
}
