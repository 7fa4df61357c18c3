import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PolicyDocumentInput } from '@fleetops/protocol';
import { afterAll, describe, expect, it } from 'vitest';
import { openPglite } from '../src/store/pglite';
import { openPostgres } from '../src/store/postgres';
import {
  describeStores,
  deviceApi,
  enroll,
  type Harness,
  openIsolatedPostgres,
  STORES,
  startApp,
} from './harness';

const DEVICES = 20;

/** The policy of group `sales`; `cameraDisabled` is what changes between its versions. */
const policy = (cameraDisabled: boolean): PolicyDocumentInput => ({
  apiVersion: 'fleetops.dev/v1',
  kind: 'Policy',
  metadata: { name: 'baseline' },
  spec: { restrictions: { cameraDisabled }, assignment: { groups: ['sales'], priority: 10 } },
});

interface Device {
  deviceId: string;
  credential: string;
}

/** An org with 20 devices in `sales` running version 1 of `baseline`, and the helpers to play them. */
async function fleet(server: Harness) {
  const org = await server.newOrg();
  const token = await org.enrollmentToken({ group: 'sales' });
  const devices: Device[] = [];
  for (let i = 0; i < DEVICES; i += 1) devices.push(await enroll(server, token));
  const admin = (path: string, body?: unknown) =>
    server.api(org.tokens.admin, path, { method: body === undefined ? 'GET' : 'POST', body });
  const apply = async (cameraDisabled: boolean, staged: boolean) => {
    const { revision } = await (await admin('/v1/policies')).json();
    const response = await admin('/v1/policy-revisions', {
      documents: [policy(cameraDisabled)],
      baseRevision: revision,
      staged,
    });
    expect(response.status).toBe(200);
  };
  /** The hash each device is told to run at check-in. */
  const told = async (): Promise<Map<string, string>> =>
    new Map(
      await Promise.all(
        devices.map(async (device) => {
          const answer = await (await deviceApi(server, device.credential, '/device/v1/checkin', {})).json();
          return [device.deviceId, answer.policy.hash] as [string, string];
        }),
      ),
    );
  /** Each device checks in and reports running what it was told, with `failures` for those in `failing`. */
  const report = async (failing: Set<string> = new Set()) => {
    for (const device of devices) {
      const answer = await (await deviceApi(server, device.credential, '/device/v1/checkin', {})).json();
      const failures = failing.has(device.deviceId)
        ? [{ path: 'restrictions.cameraDisabled', reason: 'not supported' }]
        : [];
      await deviceApi(server, device.credential, '/device/v1/checkin', {
        policy: { hash: answer.policy.hash, failures },
      });
    }
  };
  await apply(false, false);
  const oldHash = [...(await told()).values()][0]!;
  await report();
  return { org, devices, admin, apply, told, report, oldHash };
}

const rollout = async (admin: (path: string, body?: unknown) => Promise<Response>, body: unknown) => {
  const response = await admin('/v1/policies/baseline/rollouts', body);
  expect(response.status).toBe(201);
  return response.json();
};

/** Devices told `hash`. */
const on = (told: Map<string, string>, hash: string) =>
  [...told].filter(([, given]) => given === hash).map(([id]) => id);

describeStores(
  'policy rollouts',
  (server) => {
    const advance = () => server.services.rollouts.advance();

    it('keeps devices on the released version after a staged apply, then rolls out in waves to completed', async () => {
      const { admin, apply, told, report, oldHash, devices } = await fleet(server);
      await apply(true, true);
      expect(on(await told(), oldHash)).toHaveLength(DEVICES);
      expect((await (await admin('/v1/policies/baseline')).json()).version).toBe(2);

      const created = await rollout(admin, { waves: ['25%', '100%'] });
      expect(created).toMatchObject({ fromVersion: 1, toVersion: 2, status: 'running', currentWave: 0 });
      expect(created.waves.map((w: { devices: number }) => w.devices)).toEqual([5, 15]);
      // The first wave's devices are told to check in now; the others are not disturbed.
      const synced = await Promise.all(
        devices.map(async (device) => {
          const { commands } = await (
            await deviceApi(server, device.credential, '/device/v1/commands')
          ).json();
          return commands.some((c: { type: string }) => c.type === 'sync') ? device.deviceId : null;
        }),
      );
      const first = await told();
      const reached = [...first].filter(([, hash]) => hash !== oldHash);
      expect(reached).toHaveLength(5);
      expect(synced.filter(Boolean).sort()).toEqual(reached.map(([id]) => id).sort());
      expect([...(await told())].filter(([, h]) => h !== oldHash)).toEqual(reached);
      const drift = await (await admin('/v1/policy-drift')).json();
      expect(drift.data.map((d: { deviceId: string }) => d.deviceId).sort()).toEqual(
        reached.map(([id]) => id).sort(),
      );

      await advance();
      expect((await (await admin(`/v1/rollouts/${created.id}`)).json()).currentWave).toBe(0);
      await report();
      await advance();
      const second = await (await admin(`/v1/rollouts/${created.id}`)).json();
      expect(second.currentWave).toBe(1);
      expect(second.waves[0]).toMatchObject({ applied: 5, failed: 0, pending: 0 });
      expect(second.waves[0].completedAt).not.toBeNull();
      expect(on(await told(), oldHash)).toHaveLength(0);

      await report();
      await advance();
      const done = await (await admin(`/v1/rollouts/${created.id}`)).json();
      expect(done).toMatchObject({ status: 'completed', failureRate: 0, totalDevices: DEVICES });
      const policyOf = await (await admin(`/v1/devices/${devices[0]!.deviceId}/policy`)).json();
      expect(policyOf.sources['restrictions.cameraDisabled']).toEqual({ policy: 'baseline', version: 2 });
      const list = await (await admin('/v1/policies/baseline/rollouts')).json();
      expect(list.data.map((r: { id: string }) => r.id)).toEqual([created.id]);
    });

    it('halts when more of the reached devices fail than allowed, and refuses a second active rollout', async () => {
      const { admin, apply, told, report, oldHash } = await fleet(server);
      await apply(true, true);
      const created = await rollout(admin, { waves: ['50%'], haltOnFailurePercent: 10 });
      expect(created.waves.map((w: { size: string }) => w.size)).toEqual(['50%', '100%']);
      const second = await admin('/v1/policies/baseline/rollouts', { waves: ['100%'] });
      expect(second.status).toBe(409);

      const reached = on(await told(), oldHash).length;
      expect(reached).toBe(DEVICES / 2);
      const failing = new Set(
        [...(await told())]
          .filter(([, h]) => h !== oldHash)
          .map(([id]) => id)
          .slice(0, 2),
      );
      await report(failing);
      await advance();
      const halted = await (await admin(`/v1/rollouts/${created.id}`)).json();
      expect(halted).toMatchObject({ status: 'halted', currentWave: 0, failureRate: 20 });
      expect(halted.haltReason).toContain('20.0%');
      expect(halted.waves[0]).toMatchObject({ applied: 8, failed: 2 });
      expect(on(await told(), oldHash)).toHaveLength(DEVICES / 2);
    });

    it('waits pauseSeconds after a wave is done before releasing the next one', async () => {
      const { admin, apply, told, report, oldHash } = await fleet(server);
      await apply(true, true);
      const created = await rollout(admin, { waves: ['25%', '100%'], pauseSeconds: 3600 });
      await report();
      await advance();
      await advance();
      const waiting = await (await admin(`/v1/rollouts/${created.id}`)).json();
      expect(waiting).toMatchObject({ status: 'running', currentWave: 0 });
      expect(waiting.waves[0].completedAt).not.toBeNull();
      expect(Date.parse(waiting.nextWaveAt) - Date.parse(waiting.waves[0].completedAt)).toBe(3_600_000);
      expect(on(await told(), oldHash)).toHaveLength(DEVICES - 5);
    });

    it('pauses and resumes; a rollback returns the reached devices to the old version', async () => {
      const { admin, apply, told, report, oldHash } = await fleet(server);
      await apply(true, true);
      const created = await rollout(admin, { waves: ['25%', '100%'] });
      const paused = await admin(`/v1/rollouts/${created.id}/pause`, {});
      expect((await paused.json()).status).toBe('paused');
      await report();
      await advance();
      expect((await (await admin(`/v1/rollouts/${created.id}`)).json()).currentWave).toBe(0);
      expect(on(await told(), oldHash)).toHaveLength(DEVICES - 5);
      expect((await admin(`/v1/rollouts/${created.id}/pause`, {})).status).toBe(409);

      expect((await (await admin(`/v1/rollouts/${created.id}/resume`, {})).json()).status).toBe('running');
      await advance();
      expect((await (await admin(`/v1/rollouts/${created.id}`)).json()).currentWave).toBe(1);
      expect(on(await told(), oldHash)).toHaveLength(0);

      const rolledBack = await (await admin(`/v1/rollouts/${created.id}/rollback`, {})).json();
      expect(rolledBack.status).toBe('rolled_back');
      expect(on(await told(), oldHash)).toHaveLength(DEVICES);
      expect((await admin(`/v1/rollouts/${created.id}/resume`, {})).status).toBe(409);
    });
  },
  // The tests advance rollouts themselves: a background tick between two of a test's device
  // reports would judge a wave on half of them.
  { rolloutTickMs: 0 },
);

describe.each(STORES)('policy rollouts across a restart [%s]', (store) => {
  let dir: string | undefined;
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** A store, and how to open the same data again once the first server closed it. */
  const open = async () => {
    if (store === 'postgres') {
      const opened = await openIsolatedPostgres(process.env.FLEETOPS_TEST_DATABASE_URL!);
      return { db: opened.db, reopen: () => openPostgres(opened.url), drop: opened.drop };
    }
    dir = await mkdtemp(join(tmpdir(), 'fleetops-rollouts-'));
    const path = dir;
    return { db: await openPglite(path), reopen: () => openPglite(path), drop: async () => {} };
  };

  it('advances a rollout from where it was after the server restarts over the same database', async () => {
    const { db, reopen, drop } = await open();
    const first = await startApp(db);
    const org = await first.services.orgs.create('restart');
    const admin = (await first.services.apiTokens.create(org.id, 'admin-token', 'admin')).token;
    const harness = {
      url: first.url,
      services: first.services,
      db,
      newOrg: async () => ({
        id: org.id,
        tokens: { viewer: admin, auditor: admin, operator: admin, admin },
        enrollmentToken: async ({ group = 'default' } = {}) =>
          (
            await first.services.enrollmentTokens.create(
              org.id,
              { group, mode: 'COPE', expiresInSeconds: 3600, maxUses: null },
              first.url,
            )
          ).token,
      }),
      api: (token, path, init = {}) =>
        fetch(first.url + path, {
          method: init.method ?? 'GET',
          headers: {
            authorization: `Bearer ${token}`,
            ...(init.body !== undefined && { 'content-type': 'application/json' }),
          },
          body: init.body === undefined ? undefined : JSON.stringify(init.body),
        }),
    } satisfies Harness;
    const { admin: call, apply, report } = await fleet(harness);
    await apply(true, true);
    const created = await rollout(call, { waves: ['25%', '100%'] });
    await report();
    await first.close();

    const second = await startApp(await reopen());
    try {
      await second.services.rollouts.advance();
      const after = await second.services.rollouts.get(org.id, created.id);
      expect(after).toMatchObject({ status: 'running', currentWave: 1 });
      expect(after.waves[0]).toMatchObject({ applied: 5, pending: 0 });
    } finally {
      await second.close();
      await drop();
    }
  });
});
