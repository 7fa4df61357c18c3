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

  // Without the cross-replica wake-up the poll would wait its full 25 s and the test time out.
  it('wakes a device long-polling one replica when a command is sent through the other', {
    timeout: 15_000,
  }, async () => {
    const [a, b] = replicas;
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

    const poll = fetch(`${b!.url}/device/v1/commands?wait=25`, {
      headers: { authorization: `Bearer ${enrolled.credential}` },
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const sent = await (
      await fetch(`${a!.url}/v1/devices/${enrolled.deviceId}/commands`, {
        method: 'POST',
        headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
        body: JSON.stringify({ type: 'lock' }),
      })
    ).json();
    const delivered = await (await poll).json();
    expect(delivered.commands.map((c: { id: string }) => c.id)).toEqual([sent.id]);
  });
});
