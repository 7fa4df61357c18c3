import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type RunningFleet, startFleet } from '@fleetops/simulator';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { deviceApi, enroll, useServer } from '../packages/server/test/harness';

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

it('export-audit-log.ts writes the location events of the last 7 days to a file', async () => {
  const org = await server.newOrg('audit-example');
  const enrollmentToken = await org.enrollmentToken({ group: 'field' });
  await server.api(org.tokens.admin, '/v1/policies/audit-location', {
    method: 'PUT',
    body: {
      apiVersion: 'fleetops.dev/v1',
      kind: 'Policy',
      metadata: { name: 'audit-location' },
      spec: {
        audit: { location: { enabled: true }, networkInfo: { enabled: true } },
        assignment: { groups: ['field'], priority: 10 },
      },
    },
  });
  const { deviceId, credential } = await enroll(server, enrollmentToken);
  await deviceApi(server, credential, '/device/v1/checkin', {
    consent: { location: true, files: false, callLog: false, appUsage: false },
  });
  const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();
  const location = (days: number) => ({
    eventId: randomUUID(),
    category: 'location',
    occurredAt: daysAgo(days),
    data: { latitude: 52.520_01, longitude: 13.404_95, accuracyMeters: 8, source: 'gps' },
  });
  const network = {
    eventId: randomUUID(),
    category: 'networkInfo',
    occurredAt: daysAgo(1),
    data: { networkType: 'wifi', ssid: 'corp', ipAddress: '10.0.0.7', carrier: null },
  };
  const upload = await deviceApi(server, credential, '/device/v1/events', {
    deviceId,
    events: [location(10), location(3), network, location(1)],
  });
  expect(upload.status).toBe(200);

  const dir = await mkdtemp(join(tmpdir(), 'fleetops-example-'));
  try {
    const file = join(dir, 'locations.ndjson');
    const auditor = { ...env, FLEETOPS_TOKEN: org.tokens.auditor };
    const { stderr } = await run(process.execPath, [`${examples}export-audit-log.ts`, file, '--redact'], {
      env: auditor,
    });
    const events = (await readFile(file, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(events.map((e) => [e.category, e.occurredAt.slice(0, 10)])).toEqual([
      ['location', daysAgo(3).slice(0, 10)],
      ['location', daysAgo(1).slice(0, 10)],
    ]);
    expect(events[0].data).toMatchObject({ latitude: 52.52, longitude: 13.4, accuracyMeters: null });
    expect(stderr).toContain(`2 location events since`);

    const usage = await run(process.execPath, [`${examples}export-audit-log.ts`], { env: auditor }).catch(
      (e) => e,
    );
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('usage: node examples/export-audit-log.ts <file.ndjson> [--redact]');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
