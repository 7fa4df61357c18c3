import { Rollout, type RolloutWave } from '@fleetops/protocol';

export const ROLLOUT_ID = '3c4d5e6f-7a8b-4c9d-8e0f-112233445566';
const NOW = '2025-01-02T03:04:05.000Z';

/** A wave of `devices` devices, released and not completed unless told otherwise. */
export function waveOf(index: number, size: string, counts: Partial<RolloutWave> = {}): RolloutWave {
  const devices = counts.devices ?? 4;
  const applied = counts.applied ?? 0;
  const failed = counts.failed ?? 0;
  return {
    index,
    size,
    devices,
    releasedAt: NOW,
    completedAt: null,
    applied,
    failed,
    pending: devices - applied - failed,
    ...counts,
  };
}

/** A running rollout of corp-baseline v1 → v2 over `waves`. */
export function rolloutOf(waves: RolloutWave[], overrides: Partial<Rollout> = {}): Rollout {
  return Rollout.parse({
    id: ROLLOUT_ID,
    policy: 'corp-baseline',
    fromVersion: 1,
    toVersion: 2,
    status: 'running',
    currentWave: 0,
    waves,
    totalDevices: waves.reduce((total, wave) => total + wave.devices, 0),
    failureRate: 0,
    haltOnFailurePercent: 5,
    pauseSeconds: 0,
    waveTimeoutSeconds: 1800,
    nextWaveAt: null,
    haltReason: null,
    createdBy: 'ci',
    createdAt: NOW,
    updatedAt: NOW,
    ...overrides,
  });
}
