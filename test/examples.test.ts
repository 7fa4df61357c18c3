import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { type RunningFleet, startFleet } from '@fleetops/simulator';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { useServer } from '../packages/server/test/harness';

const run = promisify(execFile);
const examples = new URL('../examples/', import.meta.url).pathname;

const server = useServer('pglite');
let fleet: RunningFleet;
let env: NodeJS.ProcessEnv;
let operator: string;

beforeAll(async () => {
  const org = await server.newOrg('examples');
  operator = org.tokens.operator;
  fleet = await startFleet({
    serverUrl: server.url,
    enrollmentToken: await org.enrollmentToken(),
    devices: 4,
    pollWaitSeconds: 5,
  });
  await fleet.ready;
  env = { ...process.env, FLEETOPS_SERVER: server.url, FLEETOPS_TOKEN: operator };
});
afterAll(() => fleet?.stop());

it('lock-lost-devices.ts locks exactly the devices labelled lost', async () => {
  const [lost, kept] = fleet.devices();
  await server.api(operator, `/v1/devices/${lost!.deviceId}`, {
    method: 'PATCH',
    body: { addLabels: ['lost'] },
  });
  const { stdout, stderr } = await run(process.execPath, [`${examples}lock-lost-devices.ts`], { env });
  expect(stdout.trim()).toBe(`${lost!.serial}\tsucceeded`);
  expect(stderr).toContain('1 lost devices, 1 locked, 0 not locked');
  const devices = fleet.devices();
  expect(devices.find((d) => d.deviceId === lost!.deviceId)!.locked).toBe(true);
  expect(devices.find((d) => d.deviceId === kept!.deviceId)!.locked).toBe(false);
});

it('stale-devices-csv.ts lists the silent devices, oldest first, and refuses a bad argument', async () => {
  const [, , old, older] = fleet.devices();
  // Stopped devices no longer check in, so the ages set below stay as they are.
  await fleet.stop();
  const age = (id: string, days: number) =>
    server.db.query('UPDATE devices SET last_seen_at = now() - make_interval(days => $2) WHERE id = $1', [
      id,
      days,
    ]);
  await age(old!.deviceId!, 20);
  await age(older!.deviceId!, 40);

  const fortnight = await run(process.execPath, [`${examples}stale-devices-csv.ts`, '14'], { env });
  const lines = fortnight.stdout.trim().split('\n');
  expect(lines[0]).toBe('id,serial,model,group,lastSeenAt');
  expect(lines.slice(1).map((line) => line.split(',')[0])).toEqual([older!.deviceId, old!.deviceId]);
  const month = await run(process.execPath, [`${examples}stale-devices-csv.ts`, '30'], { env });
  expect(month.stdout.trim().split('\n')).toHaveLength(2);

  const failure = await run(process.execPath, [`${examples}stale-devices-csv.ts`, 'soon'], { env }).catch(
    (e) => e,
  );
  expect(failure.code).toBe(2);
  expect(failure.stderr).toContain('"soon" is not a whole number of days');
});
