import type { PolicyDocumentInput, Rollout } from '@fleetops/protocol';
import { FleetClient } from '@fleetops/sdk';
import { startFleet } from '@fleetops/simulator';
import { type BenchResult, round } from './lib/measure.ts';
import { startSeededServer } from './lib/spawn-seeded-server.ts';

const DEVICES = 2000;
const GROUP = 'rollout-bench';
const WAVES = ['1%', '10%', '50%', '100%'];
const TIMEOUT_MS = 5 * 60_000;

/** The bench policy; `cameraDisabled` is what changes between the versions. */
const policy = (cameraDisabled: boolean): PolicyDocumentInput => ({
  apiVersion: 'fleetops.dev/v1',
  kind: 'Policy',
  metadata: { name: 'rollout-bench' },
  spec: {
    restrictions: { cameraDisabled, bluetoothDisabled: true },
    passwordRequirements: { passwordQuality: 'NUMERIC', passwordMinimumLength: 6 },
    assignment: { groups: [GROUP], priority: 10 },
  },
});

/** Applies `document`, staged or released at once, against the live revision. */
async function apply(client: FleetClient, document: PolicyDocumentInput, staged: boolean): Promise<void> {
  const { revision } = await client.policies.list();
  await client.policies.apply({ documents: [document], baseRevision: revision, staged });
}

/** Waits until no device of the group is off its policy (drift empty), or fails after the timeout. */
async function untilNoDrift(client: FleetClient): Promise<void> {
  const deadline = Date.now() + TIMEOUT_MS;
  while ((await client.policies.drift({ group: GROUP, limit: 1 }).toArray()).length > 0) {
    if (Date.now() > deadline) throw new Error('devices still drift after the timeout');
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/**
 * 2,000 simulated devices, a new version of their policy rolled out in 4 waves (1%, 10%, 50%,
 * 100%): the time from creating the rollout to completed, with each wave's figures. Baseline: the
 * same change released at once (a plain apply) until no device drifts.
 */
export async function rollout2000(): Promise<BenchResult> {
  const server = await startSeededServer(0, { checkInIntervalSeconds: 3600 });
  const client = new FleetClient({ baseUrl: server.url, token: server.token });
  let fleet: Awaited<ReturnType<typeof startFleet>> | undefined;
  try {
    const enrollment = await client.enrollmentTokens.create({ group: GROUP, maxUses: DEVICES });
    fleet = await startFleet({ serverUrl: server.url, enrollmentToken: enrollment.token, devices: DEVICES });
    await fleet.ready;

    // Baseline: released at once; devices hear of it through a sync job, as a rollout's waves do.
    const baselineStart = performance.now();
    await apply(client, policy(false), false);
    await client.jobs.create({ type: 'sync', targets: { where: `group = ${GROUP}`, all: true } });
    await untilNoDrift(client);
    const baseline = (performance.now() - baselineStart) / 1000;

    await apply(client, policy(true), true);
    const start = performance.now();
    const created = await client.rollouts.create('rollout-bench', {
      waves: WAVES,
      haltOnFailurePercent: 50,
      waveTimeoutSeconds: 120,
    });
    let last: Rollout = created;
    for await (const snapshot of client.rollouts.watch(created.id, { intervalMs: 250 })) last = snapshot;
    const figure = (performance.now() - start) / 1000;
    if (last.status !== 'completed') throw new Error(`the rollout ended ${last.status}: ${last.haltReason}`);
    const startedAt = Date.parse(created.createdAt);
    return {
      name: 'policy-rollout-2000-devices',
      unit: 's',
      figure: round(figure),
      baseline: round(baseline),
      baselineName: 'the same change applied at once, until no device drifts',
      ratio: round(figure / baseline),
      better: 'lower',
      target: 'completes, with per-wave figures',
      details: {
        devices: DEVICES,
        waves: last.waves.map((wave) => ({
          size: wave.size,
          devices: wave.devices,
          applied: wave.applied,
          failed: wave.failed,
          releasedAfterS: wave.releasedAt && round((Date.parse(wave.releasedAt) - startedAt) / 1000),
          completedAfterS: wave.completedAt && round((Date.parse(wave.completedAt) - startedAt) / 1000),
        })),
        failureRate: last.failureRate,
        simulatorErrors: fleet.stats().errors,
      },
    };
  } finally {
    await fleet?.stop();
    await client.close();
    await server.stop();
  }
}
