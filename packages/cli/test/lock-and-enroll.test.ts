import type { CreatedEnrollmentToken, Device, EnrollmentToken, Job } from '@fleetops/protocol';
import { type RunningServer, startServer } from '@fleetops/server';
import { type RunningFleet, startFleet } from '@fleetops/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliEnv, deviceFacts, enrollDevice, pollCommands, reportCommand, runCli, tempDir } from './helpers';

let server: RunningServer;
let fleet: RunningFleet;
let configDir: Awaited<ReturnType<typeof tempDir>>;
let env: NodeJS.ProcessEnv;

const fleetops = (...args: string[]) => runCli(args, env);

beforeAll(async () => {
  server = await startServer({ port: 0, logLevel: 'silent' });
  configDir = await tempDir('lock');
  env = cliEnv(configDir.path, { FLEETOPS_SERVER: server.url, FLEETOPS_TOKEN: server.adminToken! });
  const enrollment = await server.createEnrollmentToken({ group: 'simulated' });
  fleet = await startFleet({
    serverUrl: server.url,
    enrollmentToken: enrollment.token,
    devices: 2,
    pollWaitSeconds: 5,
  });
  await fleet.ready;
});

afterAll(async () => {
  await fleet?.stop();
  await server?.close();
  await configDir?.remove();
});

describe('lock DEVICE_ID: a job of one device', () => {
  it('--wait on a simulated device ends completed, exit 0, and the device is locked', async () => {
    const [device] = fleet.devices();
    const run = await fleetops('lock', device!.deviceId!, '--message', 'Call IT', '--wait', '-o', 'json');
    expect(run.code).toBe(0);
    const job = JSON.parse(run.stdout) as Job;
    expect(job).toMatchObject({ type: 'lock', status: 'completed', params: { message: 'Call IT' } });
    expect(job.counts.succeeded).toBe(1);
    const after = JSON.parse(
      (await fleetops('devices', 'get', device!.deviceId!, '-o', 'json')).stdout,
    ) as Device;
    expect(after.state.locked).toBe(true);
  });

  it('without --wait prints the created job and how to follow it, exit 0', async () => {
    const [, device] = fleet.devices();
    const run = await fleetops('lock', device!.deviceId!, '-o', 'json');
    expect(run.code).toBe(0);
    const job = JSON.parse(run.stdout) as Job;
    expect(job).toMatchObject({ type: 'lock', targetCount: 1 });
    expect(run.stderr).toContain(`job ${job.id} is ${job.status}: lock for 1 device(s)`);
    expect(run.stderr).toContain(`fleetops jobs wait ${job.id}`);
  });

  it('the table shows the job', async () => {
    const enrollment = await server.createEnrollmentToken({ group: 'table' });
    const device = await enrollDevice(server.url, enrollment.token, deviceFacts());
    const run = await fleetops('lock', device.deviceId);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/│ Type\s+│ lock/);
    expect(run.stdout).toMatch(/│ Targets\s+│ 1/);
  });

  it('--wait on a device that never answers times out: exit 7', async () => {
    const enrollment = await server.createEnrollmentToken({ group: 'silent' });
    const silent = await enrollDevice(server.url, enrollment.token, deviceFacts());
    const run = await fleetops('lock', silent.deviceId, '--wait', '--timeout', '2s');
    expect(run.code).toBe(7);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/error: timed out after 2s waiting for job \S+, still running/);
    expect(run.stderr).toMatch(/\nhint: .*fleetops jobs wait \S+\n$/);
  });

  it('--wait on a lock the device reports failed: exit 3', async () => {
    const enrollment = await server.createEnrollmentToken({ group: 'manual' });
    const device = await enrollDevice(server.url, enrollment.token, deviceFacts());
    const lock = fleetops('lock', device.deviceId, '--wait', '--timeout', '30s', '-o', 'json');
    const polled = await pollCommands(server.url, device.credential);
    await reportCommand(server.url, device.credential, polled.commands[0]!.id, {
      status: 'failed',
      error: 'screen in use',
    });
    const run = await lock;
    expect(run.code).toBe(3);
    const job = JSON.parse(run.stdout) as Job;
    expect(job).toMatchObject({ status: 'completed' });
    expect(job.counts.failed).toBe(1);
  });

  it('-q keeps stderr quiet', async () => {
    const [device] = fleet.devices();
    const run = await fleetops('lock', device!.deviceId!, '-q', '-o', 'json');
    expect(run).toMatchObject({ code: 0, stderr: '' });
  });

  it('an unknown device is refused, naming it: exit 8, nothing sent', async () => {
    const unknown = '7d1c5d4e-0000-4000-8000-00000000abcd';
    const run = await fleetops('lock', unknown, '--wait');
    expect(run.code).toBe(8);
    expect(run.stderr).toMatch(new RegExp(`^error: refused: .*${unknown}`));
  });

  it('a malformed device id is a usage error', async () => {
    const run = await fleetops('lock', 'not-an-id');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('"not-an-id" is not a device id');
  });
});

describe('enroll token', () => {
  let created: CreatedEnrollmentToken;

  it('create prints the token, and with --qr a QR code of the payload after it', async () => {
    const run = await fleetops(
      'enroll',
      'token',
      'create',
      '--group',
      'kiosks',
      '--mode',
      'COBO',
      '--max-uses',
      '5',
      '--qr',
    );
    expect(run.code).toBe(0);
    const [table, qr] = splitAtQr(run.stdout);
    expect(table).toMatch(/│ TOKEN\s+│ \S+/);
    expect(table).toMatch(/│ GROUP\s+│ kiosks/);
    expect(qr).toMatch(/[▀▄█]/);
    expect(qr.trimEnd().split('\n').length).toBeGreaterThan(10);
  });

  it('create -o json is the created token, and --expires sets its lifetime', async () => {
    const run = await fleetops('enroll', 'token', 'create', '--expires', '1h', '-o', 'json');
    created = JSON.parse(run.stdout);
    expect(created).toMatchObject({
      group: 'default',
      mode: 'COPE',
      status: 'active',
      payload: { server: server.url },
    });
    const lifetime = Date.parse(created.expiresAt) - Date.parse(created.createdAt);
    expect(Math.round(lifetime / 60_000)).toBe(60);
  });

  it('ls lists it and revoke revokes it', async () => {
    const listed = JSON.parse(
      (await fleetops('enroll', 'token', 'ls', '-o', 'json')).stdout,
    ) as EnrollmentToken[];
    expect(listed.map((t) => t.id)).toContain(created.id);
    const revoked = await fleetops('enroll', 'token', 'revoke', created.id, '-o', 'json');
    expect(revoked.code).toBe(0);
    expect(JSON.parse(revoked.stdout)).toMatchObject({ id: created.id, status: 'revoked' });
  });
});

/** The table part of the output, and the QR code that follows it. */
function splitAtQr(stdout: string): [string, string] {
  const end = stdout.lastIndexOf('┘') + 1;
  return [stdout.slice(0, end), stdout.slice(end)];
}
