import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Services } from '../src/services';
import { openPostgres } from '../src/store/postgres';
import { facts, openIsolatedPostgres, startApp } from './harness';

const databaseUrl = process.env.FLEETOPS_TEST_DATABASE_URL;

/** Two server replicas on one PostgreSQL database, as a deployment at scale runs them. */
describe.skipIf(!databaseUrl)('replicas sharing PostgreSQL', () => {
  const replicas: { url: string; services: Services; close: () => Promise<void> }[] = [];
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const isolated = await openIsolatedPostgres(databaseUrl!);
    drop = isolated.drop;
    await isolated.db.close();
    for (let i = 0; i < 2; i++) replicas.push(await startApp(await openPostgres(isolated.url)));
  });
  afterAll(async () => {
    for (const replica of replicas) await replica.close();
    await drop?.();
  });

  it('bootstraps one org however many replicas start', async () => {
    const [a, b] = replicas;
    expect((await a!.services.orgs.first())!.id).toBe((await b!.services.orgs.first())!.id);
  });

  /** An admin token and a device enrolled through replica a. */
  async function enrolledDevice() {
    const [a] = replicas;
    const org = (await a!.services.orgs.first())!;
    const admin = (await a!.services.apiTokens.create(org.id, 'replica-test', 'admin')).token;
    const enrollment = await a!.services.enrollmentTokens.create(
      org.id,
      { group: 'replicas', mode: 'COPE', expiresInSeconds: 3600, maxUses: null },
      a!.url,
    );
    const enrolled = await (
      await fetch(`${a!.url}/device/v1/enroll`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ enrollmentToken: enrollment.token, facts: facts() }),
      })
    ).json();
    const send = async (path: string, body: unknown) =>
      (
        await fetch(`${a!.url}${path}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        })
      ).json();
    return { enrolled, send };
  }

  /** Starts a long poll of the device on replica b, and gives it time to start waiting. */
  async function pollOnB(credential: string) {
    const poll = fetch(`${replicas[1]!.url}/device/v1/commands?wait=25`, {
      headers: { authorization: `Bearer ${credential}` },
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    return async () => (await (await poll).json()).commands.map((c: { id: string; type: string }) => c);
  }

  // Without the cross-replica wake-up the poll would wait its full 25 s and the test time out.
  it('wakes a device long-polling one replica when a command is sent through the other', {
    timeout: 15_000,
  }, async () => {
    const { enrolled, send } = await enrolledDevice();
    const delivered = await pollOnB(enrolled.credential);
    const sent = await send(`/v1/devices/${enrolled.deviceId}/commands`, { type: 'lock' });
    expect((await delivered()).map((c: { id: string }) => c.id)).toEqual([sent.id]);
  });

  it('wakes a device long-polling one replica when a job for it is created through the other', {
    timeout: 15_000,
  }, async () => {
    const { enrolled, send } = await enrolledDevice();
    const delivered = await pollOnB(enrolled.credential);
    const job = await send('/v1/jobs', {
      type: 'ring',
      targets: { devices: [{ value: enrolled.deviceId }] },
    });
    expect(job.status).toBe('running');
    expect((await delivered()).map((c: { type: string }) => c.type)).toEqual(['ring']);
  });
});
