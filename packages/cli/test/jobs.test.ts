import { type ChildProcess, spawn } from 'node:child_process';
import type { EnrollResponse, Job, JobResult } from '@fleetops/protocol';
import type { FleetClient } from '@fleetops/sdk';
import type { RunningServer } from '@fleetops/server';
import type { RunningFleet } from '@fleetops/simulator';
import { parse as parseCsv } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, type CliRun, deviceFacts, enrollDevice, pollCommands, reportCommand, runCli } from './helpers';
import { type SimulatedFleet, startSimulatedFleet } from './simulated-fleet';

let server: RunningServer;
let fleet: RunningFleet;
let sdk: FleetClient;
let simulated: SimulatedFleet;
let env: NodeJS.ProcessEnv;
/** A device that never asks for its commands: its jobs stay pending. */
let silentDeviceId: string;
/** A device the test plays: it answers when told to. */
let manual: EnrollResponse;

const fleetops = (...args: string[]) => runCli(args, env);
const SIMULATED = { where: 'group = simulated' };

beforeAll(async () => {
  simulated = await startSimulatedFleet('jobs');
  ({ server, fleet, sdk, env } = simulated);
  const silent = await server.createEnrollmentToken({ group: 'silent' });
  silentDeviceId = (await enrollDevice(server.url, silent.token, deviceFacts())).deviceId;
  manual = await enrollDevice(server.url, silent.token, deviceFacts());
});

afterAll(() => simulated?.close());

const simulatedIds = () => fleet.devices().map((d) => d.deviceId!);

/**
 * Runs `fleetops args…` and calls `act` once, when stderr first contains `text`: the CLI is
 * following the job by then. Resolves with the finished run.
 */
function runUntil(
  args: string[],
  text: string,
  act: (child: ChildProcess) => Promise<void>,
): Promise<CliRun> {
  const child = spawn(process.execPath, [BIN, ...args], { env });
  let stdout = '';
  let stderr = '';
  let acted = false;
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
    if (acted || !stderr.includes(text)) return;
    acted = true;
    act(child).catch((error) => child.emit('error', error));
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

describe('a job followed while it runs', () => {
  it('wait prints progress lines until the device answers, then exits 0 with the final job', async () => {
    const job = await sdk.jobs.create({
      type: 'lock',
      params: {},
      targets: { devices: [{ value: manual.deviceId }] },
    });
    const run = await runUntil(
      ['jobs', 'wait', job.id, '--timeout', '60s', '-o', 'json'],
      'running:',
      async () => {
        const polled = await pollCommands(server.url, manual.credential);
        await reportCommand(server.url, manual.credential, polled.commands[0]!.id, { status: 'succeeded' });
      },
    );
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      id: job.id,
      status: 'completed',
      counts: { succeeded: 1 },
    });
    expect(run.stderr).toBe(
      `job ${job.id} running: 0/1 succeeded, 0 failed, 1 pending\n` +
        `job ${job.id} completed: 1/1 succeeded, 0 failed, 0 pending\n`,
    );
  });
});

describe('a job every simulated device carries out', () => {
  let job: Job;

  it('wait exits 0 with the final job once every device succeeded', async () => {
    job = await sdk.jobs.create({ type: 'ring', params: {}, targets: SIMULATED, reason: 'find them' });
    const run = await fleetops('jobs', 'wait', job.id, '--timeout', '60s', '-o', 'json');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      id: job.id,
      status: 'completed',
      counts: { succeeded: 3, failed: 0 },
    });
    expect(run.stderr).toContain(`job ${job.id} completed: 3/3 succeeded, 0 failed, 0 pending`);
    expect(run.stderr).not.toContain('warning');
  });

  it('ls lists it with its counts, as JSON and as CSV, and filters by status and type', async () => {
    const listed = JSON.parse((await fleetops('jobs', 'ls', '-o', 'json')).stdout) as Job[];
    expect(listed.map((j) => j.id)).toContain(job.id);
    const csv = await fleetops('jobs', 'ls', '--status', 'completed', '--type', 'ring', '-o', 'csv');
    expect(csv.code).toBe(0);
    expect(csv.stdout.split(/\r?\n/)[0]).toBe(
      'id,type,status,targets,succeeded,failed,pending,createdBy,createdAt,reason',
    );
    expect(parseCsv(csv.stdout, { columns: true })).toContainEqual(
      expect.objectContaining({
        id: job.id,
        type: 'ring',
        status: 'completed',
        targets: '3',
        succeeded: '3',
        failed: '0',
        pending: '0',
        reason: 'find them',
      }),
    );
    const none = await fleetops('jobs', 'ls', '--type', 'reboot');
    expect(none).toMatchObject({ code: 0, stdout: '', stderr: 'no jobs match\n' });
  });

  it('get shows it, as JSON and as a table', async () => {
    const json = await fleetops('jobs', 'get', job.id, '-o', 'json');
    expect(json).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(json.stdout)).toMatchObject({ id: job.id, type: 'ring', status: 'completed' });
    const table = await fleetops('jobs', 'get', job.id);
    expect(table.stdout).toMatch(new RegExp(`│ Job\\s+│ ${job.id}`));
    expect(table.stdout).toMatch(/│ Succeeded\s+│ 3 /);
  });

  it('results as CSV has one row per device with its outcome', async () => {
    const run = await fleetops('jobs', 'results', job.id, '-o', 'csv');
    expect(run.code).toBe(0);
    expect(run.stdout.split(/\r?\n/)[0]).toBe('deviceId,serial,status,error,line,deliveredAt,completedAt');
    const rows = parseCsv(run.stdout, { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => r.deviceId).sort()).toEqual(simulatedIds().sort());
    for (const row of rows) {
      expect(row).toMatchObject({ status: 'succeeded', error: '' });
      expect(row.serial).not.toBe('');
      expect(Date.parse(row.completedAt!)).not.toBeNaN();
    }
  });

  it('wait on a job that already ended returns at once, saying where it ended', async () => {
    const run = await fleetops('jobs', 'wait', job.id, '-o', 'json');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ id: job.id, status: 'completed' });
    expect(run.stderr).toBe(`job ${job.id} completed: 3/3 succeeded, 0 failed, 0 pending\n`);
  });
});

describe('a job every simulated device fails', () => {
  it('wait exits 3, says how many did not succeed and how to see them; results lists the reasons', async () => {
    const job = await sdk.jobs.create({
      type: 'remove-app',
      params: { packageId: 'com.example.absent' },
      targets: SIMULATED,
    });
    const run = await fleetops('jobs', 'wait', job.id, '--timeout', '60s', '-o', 'json');
    expect(run.code).toBe(3);
    expect(JSON.parse(run.stdout)).toMatchObject({ id: job.id, status: 'completed', counts: { failed: 3 } });
    expect(run.stderr).toContain(`warning: job ${job.id} completed: 3 of 3 device(s) did not succeed`);
    expect(run.stderr).toContain(`fleetops jobs results ${job.id} --status failed`);
    const failed = await fleetops('jobs', 'results', job.id, '--status', 'failed', '-o', 'ndjson');
    const results = failed.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as JobResult);
    expect(results).toHaveLength(3);
    for (const result of results) expect(result.error).toContain('app not installed: com.example.absent');
  });
});

describe('a job its devices do not answer', () => {
  let job: Job;

  beforeAll(async () => {
    job = await sdk.jobs.create({
      type: 'lock',
      params: {},
      targets: { devices: [{ value: silentDeviceId }] },
    });
  });

  it('wait times out: exit 7, and says the job continues and how to reattach', async () => {
    const run = await fleetops('jobs', 'wait', job.id, '--timeout', '2s');
    expect(run.code).toBe(7);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(`error: timed out after 2s waiting for job ${job.id}, still running`);
    expect(run.stderr).toContain(
      `hint: the job continues on the server; reattach with: fleetops jobs wait ${job.id}\n`,
    );
  });

  it('Ctrl-C stops following only, and says how to reattach', async () => {
    const run = await runUntil(['jobs', 'wait', job.id], 'running:', async (child) => {
      child.kill('SIGINT');
    });
    expect(run.code).toBe(130);
    expect(run.stderr).toContain(
      `warning: stopped following job ${job.id} (SIGINT); the job continues on the server`,
    );
    expect(run.stderr).toContain(`reattach with: fleetops jobs wait ${job.id}`);
    expect((await sdk.jobs.retrieve(job.id)).status).toBe('running');
  });

  it('cancel cancels it, and get then shows it canceled', async () => {
    const canceled = await fleetops('jobs', 'cancel', job.id, '-o', 'json');
    expect(canceled.code).toBe(0);
    expect(JSON.parse(canceled.stdout)).toMatchObject({ id: job.id, status: 'canceled' });
    const run = await fleetops('jobs', 'get', job.id, '-o', 'json');
    expect(JSON.parse(run.stdout)).toMatchObject({ status: 'canceled', counts: { canceled: 1, queued: 0 } });
    const waited = await fleetops('jobs', 'wait', job.id, '-o', 'json');
    expect(waited.code).toBe(3);
  });
});

describe('a job awaiting approval', () => {
  let job: Job;

  beforeAll(async () => {
    await sdk.settings.update({ approvalThreshold: 0 });
    job = await sdk.jobs.create({
      type: 'wipe',
      params: {},
      targets: { devices: [{ value: silentDeviceId }] },
    });
  });

  afterAll(async () => {
    await sdk.settings.update({ approvalThreshold: null });
  });

  it('wait does not wait: exit 6 at once, saying who can approve it', async () => {
    expect(job.status).toBe('awaiting_approval');
    const run = await fleetops('jobs', 'wait', job.id, '-o', 'json');
    expect(run.code).toBe(6);
    expect(JSON.parse(run.stdout)).toMatchObject({ id: job.id, status: 'awaiting_approval' });
    expect(run.stderr).toContain(`job ${job.id} awaits approval by an admin other than ${job.createdBy}`);
    expect(run.stderr).toContain(`fleetops jobs approve ${job.id}`);
  });

  it('approve by its creator is refused in one clear line: exit 1', async () => {
    const run = await fleetops('jobs', 'approve', job.id);
    expect(run).toMatchObject({
      code: 1,
      stdout: '',
      stderr: 'error: you created this job: another admin must approve it\n',
    });
  });

  it('approve by another admin lets it run', async () => {
    const other = await server.createAdminToken('second-admin');
    const run = await runCli(['jobs', 'approve', job.id, '-o', 'json'], { ...env, FLEETOPS_TOKEN: other });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      id: job.id,
      status: 'running',
      approvedBy: 'second-admin',
    });
    await sdk.jobs.cancel(job.id);
  });
});

describe('job ids', () => {
  it.each(['get', 'wait', 'results', 'cancel', 'approve'])(
    '%s of an unknown job exits 1 naming it; a malformed id exits 2',
    async (verb) => {
      const unknown = '7d1c5d4e-0000-4000-8000-00000000abcd';
      const missing = await fleetops('jobs', verb, unknown);
      expect(missing.code).toBe(1);
      expect(missing.stderr).toMatch(new RegExp(`^error: job ${unknown} not found`));
      const malformed = await fleetops('jobs', verb, 'job-1');
      expect(malformed.code).toBe(2);
      expect(malformed.stderr).toContain('"job-1" is not a job id');
    },
  );
});
