import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Device, Job } from '@fleetops/protocol';
import type { FleetClient } from '@fleetops/sdk';
import type { RunningServer } from '@fleetops/server';
import type { RunningFleet } from '@fleetops/simulator';
import { parse as parseCsv } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, deviceFacts, enrollDevice, runCli } from './helpers';
import { type SimulatedFleet, startSimulatedFleet } from './simulated-fleet';

let server: RunningServer;
let fleet: RunningFleet;
let sdk: FleetClient;
let simulated: SimulatedFleet;
let env: NodeJS.ProcessEnv;
/** A BYOD device: a wipe skips it. */
let byodDeviceId: string;
/** A device that never asks for its commands: its jobs stay running. */
let silentDeviceId: string;

const fleetops = (...args: string[]) => runCli(args, env);

beforeAll(async () => {
  simulated = await startSimulatedFleet('bulk');
  ({ server, fleet, sdk, env } = simulated);
  const byod = await server.createEnrollmentToken({ group: 'byod', mode: 'BYOD' });
  byodDeviceId = (await enrollDevice(server.url, byod.token, deviceFacts())).deviceId;
  const silent = await server.createEnrollmentToken({ group: 'silent' });
  silentDeviceId = (await enrollDevice(server.url, silent.token, deviceFacts())).deviceId;
});

afterAll(() => simulated?.close());

const jobs = () => sdk.jobs.list().toArray();
const simulatedIds = () => fleet.devices().map((d) => d.deviceId!);

/** Writes `text` to a file of the test's directory and returns its path. */
async function file(name: string, text: string): Promise<string> {
  const path = join(simulated.dir, name);
  await writeFile(path, text);
  return path;
}

describe('--dry-run', () => {
  it('prints the count and a sample of the devices, creates nothing, exit 0', async () => {
    const run = await fleetops('lock', '--where', 'group = simulated', '--dry-run');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      'dry run: lock would target 3 device(s); 3 would run it, nothing is created',
    );
    expect(run.stdout).toContain('approval: not needed');
    expect(run.stdout.match(/would run │/g)).toHaveLength(3);
    expect(await jobs()).toEqual([]);
  });

  it('-o csv lists every device with what it would do; the summary goes to stderr', async () => {
    const run = await fleetops('wipe', '--where', 'group in (simulated, byod)', '--dry-run', '-o', 'csv');
    expect(run.code).toBe(0);
    const rows = parseCsv(run.stdout, { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(4);
    expect(rows.find((r) => r.deviceId === byodDeviceId)).toMatchObject({
      action: 'skip',
      skipReason: 'byod_wipe',
    });
    expect(rows.filter((r) => r.action === 'would run')).toHaveLength(3);
    expect(run.stderr).toContain('skipped: 1 byod_wipe');
    expect(await jobs()).toEqual([]);
  });

  it('a guard that would refuse exits 8, still creating nothing', async () => {
    const run = await fleetops('reboot', '--where', 'group = simulated', '--expect-count', '5', '--dry-run');
    expect(run.code).toBe(8);
    expect(run.stderr).toContain(
      'the server would refuse this job: the targets resolve to 3 devices, not the 5 expected',
    );
    expect(await jobs()).toEqual([]);
  });
});

describe('targets from a file', () => {
  it('a CSV of serials locks those devices: --wait ends with every device succeeded, exit 0', async () => {
    const devices = await Promise.all(simulatedIds().map((id) => sdk.devices.retrieve(id)));
    const csv = await file(
      'serials.csv',
      `owner,serial\n${devices.map((d, i) => `user ${i},${d.facts.serial}`).join('\n')}\n`,
    );
    const run = await fleetops('lock', '--file', csv, '--message', 'Call IT', '--wait', '-o', 'json');
    expect(run.code).toBe(0);
    const job = JSON.parse(run.stdout) as Job;
    expect(job).toMatchObject({ type: 'lock', status: 'completed', params: { message: 'Call IT' } });
    expect(job.counts.succeeded).toBe(3);
    const results = await sdk.jobs.results(job.id).toArray();
    expect(results.map((r) => r.line).sort()).toEqual([2, 3, 4]);
    for (const id of simulatedIds()) expect((await sdk.devices.retrieve(id)).state.locked).toBe(true);
  });

  it('a serial that matches no device: exit 8, naming its line, no job created', async () => {
    const before = (await jobs()).length;
    const csv = await file('unknown.csv', 'serial\n# checked twice\nNO-SUCH-SERIAL\n');
    const run = await fleetops('reboot', '--file', csv);
    expect(run.code).toBe(8);
    expect(run.stderr).toMatch(/^error: refused: .*NO-SUCH-SERIAL/);
    expect(run.stderr).toContain(`  ${csv}:3: `);
    expect(await jobs()).toHaveLength(before);
  });

  it('a blank serial cell: exit 8, naming the file and line, before anything is sent', async () => {
    const before = (await jobs()).length;
    const csv = await file('blank.csv', 'serial,owner\n,alice\n');
    const run = await fleetops('reboot', '--file', csv);
    expect(run).toMatchObject({ code: 8, stdout: '' });
    expect(run.stderr).toBe(`error: ${csv}:2: the serial cell is blank: every row must name its device\n`);
    expect(await jobs()).toHaveLength(before);
  });
});

describe('targets from stdin', () => {
  it('cat ids | fleetops reboot - --wait -o json prints the final job', async () => {
    const ids = `${simulatedIds().join('\n')}\n`;
    const run = await runCli(['reboot', '-', '--wait', '-o', 'json'], env, ids);
    expect(run.code).toBe(0);
    const job = JSON.parse(run.stdout) as Job;
    expect(job).toMatchObject({ type: 'reboot', status: 'completed', targetCount: 3 });
    expect(job.counts.succeeded).toBe(3);
  });
});

describe('safety', () => {
  it('wipe without a terminal and without --yes: exit 2 with a hint, nothing sent', async () => {
    const before = (await jobs()).length;
    const run = await fleetops('wipe', byodDeviceId);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      'error: refusing to wipe devices without confirmation (not at a terminal)\n' +
        'hint: check them with --dry-run, then pass --yes to confirm\n',
    );
    expect(await jobs()).toHaveLength(before);
  });

  it('--expect-count that does not match: exit 8 with the server reason, no job', async () => {
    const before = (await jobs()).length;
    const run = await fleetops('sync', '--where', 'group = simulated', '--expect-count', '2');
    expect(run.code).toBe(8);
    expect(run.stderr).toMatch(/^error: refused: the targets resolve to 3 devices, not the 2 expected/);
    expect(await jobs()).toHaveLength(before);
  });

  it('a selector that matches every device needs --all', async () => {
    const run = await fleetops('sync', '--where', 'status = active');
    expect(run.code).toBe(8);
    expect(run.stderr).toContain('hint: add --all if the selector is meant to match every device');
    const accepted = await fleetops('sync', '--where', 'status = active', '--all', '-o', 'json');
    expect(accepted.code).toBe(0);
    expect(JSON.parse(accepted.stdout)).toMatchObject({
      type: 'sync',
      selector: 'status = active',
      targetCount: 5,
    });
  });

  it('--all with a narrower selector still acts only on the devices it selects', async () => {
    const run = await fleetops('sync', '--where', 'group = simulated', '--all', '--dry-run');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('dry run: sync would target 3 device(s)');
  });

  it('a BYOD wipe with --yes is created with that device skipped, and says why', async () => {
    const run = await fleetops('wipe', byodDeviceId, '--yes', '--reason', 'lost', '-o', 'json');
    expect(run.code).toBe(0);
    const job = JSON.parse(run.stdout) as Job;
    expect(job).toMatchObject({ type: 'wipe', reason: 'lost', params: { reason: 'lost' } });
    expect(job.counts.skipped).toBe(1);
    expect(run.stderr).toMatch(/1 device\(s\) skipped:\n {2}\S+: personally owned \(BYOD\)/);
    const device = (await sdk.devices.retrieve(byodDeviceId)) as Device;
    expect(device.status).toBe('active');
  });

  it('a job that needs approval: exit 6, naming the command for another admin', async () => {
    await sdk.settings.update({ approvalThreshold: 0 });
    try {
      const run = await fleetops('retire', silentDeviceId, '--yes', '-o', 'json');
      expect(run.code).toBe(6);
      const job = JSON.parse(run.stdout) as Job;
      expect(job.status).toBe('awaiting_approval');
      expect(run.stderr).toContain(`fleetops jobs approve ${job.id}`);
      await sdk.jobs.cancel(job.id);
    } finally {
      await sdk.settings.update({ approvalThreshold: null });
    }
  });
});

describe('resuming', () => {
  it('running the same command after killing it attaches to the job it created: no second job', async () => {
    const before = await jobs();
    const args = ['lock', silentDeviceId, '--reason', 'resume test', '--wait', '--timeout', '1m'];
    const child = spawn(process.execPath, [BIN, ...args], { env, stdio: 'ignore' });
    const created = await waitFor(async () => (await jobs()).find((j) => !before.some((b) => b.id === j.id)));
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('close', resolve));

    const again = await fleetops(...args.slice(0, -1), '2s');
    expect(again.code).toBe(7);
    expect(again.stderr).toContain(`attached to job ${created.id}, created ${created.createdAt}`);
    expect(await jobs()).toHaveLength(before.length + 1);
    await sdk.jobs.cancel(created.id);
  });
});

/** Polls `probe` until it returns something, for at most 20 seconds. */
async function waitFor<T>(probe: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const found = await probe();
    if (found !== undefined) return found;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('gave up waiting');
}
