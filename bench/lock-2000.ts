import { execFileSync, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import type { Command, Job } from '@fleetops/protocol';
import { FleetClient } from '@fleetops/sdk';
import { startFleet } from '@fleetops/simulator';
import pLimit from 'p-limit';
import { Agent, request } from 'undici';
import { type BenchResult, median, round } from './lib/measure.ts';
import { type SeededServer, startSeededServer } from './lib/spawn-seeded-server.ts';

const cli = fileURLToPath(new URL('../packages/cli/bin/fleetops.js', import.meta.url));
const DEVICES = 2000;
const GROUP = 'lock-bench';
/** Devices in the store outside the group, so that the selector is not the whole fleet. */
const BYSTANDERS = 100;
const ROUNDS = 3;
/** Requests in flight at once in the single-device baseline. */
const CONCURRENCY = 32;
/** Pause between two status checks of the commands not yet final, in the baseline. */
const BASELINE_POLL_MS = 500;
/** Devices check in this rarely, so that no check-in reports a device locked between rounds. */
const CHECK_IN_INTERVAL_SECONDS = 3600;
const TIMEOUT_MS = 5 * 60_000;
const FINAL_COMMAND_STATUSES = ['succeeded', 'failed', 'expired', 'canceled'];

function expectAllSucceeded(job: Job): void {
  if (job.status !== 'completed' || job.counts.succeeded !== DEVICES) {
    throw new Error(`job ${job.id} ended ${job.status}: ${JSON.stringify(job.counts)}`);
  }
}

/** Whether the built CLI has the bulk `lock --where … --wait`. */
function cliCanLockBySelector(): boolean {
  try {
    const help = execFileSync(process.execPath, [cli, 'lock', '--help'], { encoding: 'utf8' });
    return help.includes('--where') && help.includes('--wait');
  } catch {
    return false;
  }
}

/** `fleetops lock --where 'group = …' --wait -o json` as a user runs it, to its exit. */
function lockWithCli(server: SeededServer, configDir: string): Promise<void> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    FLEETOPS_SERVER: server.url,
    FLEETOPS_TOKEN: server.token,
    FLEETOPS_CONFIG_DIR: configDir,
    NO_COLOR: '1',
  };
  delete env.FLEETOPS_PROFILE;
  const args = [cli, 'lock', '--where', `group = ${GROUP}`, '--wait', '--timeout', '5m', '-o', 'json'];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: TIMEOUT_MS,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`fleetops lock exited ${code}: ${stderr}`));
      try {
        expectAllSucceeded(JSON.parse(stdout) as Job);
        resolve();
      } catch (error) {
        reject(error);
      }
    });
  });
}

/** The same job through the SDK, for a CLI without the bulk verbs yet; same 2 s polling as the CLI. */
async function lockWithSdk(client: FleetClient): Promise<void> {
  const job = await client.jobs.create({ type: 'lock', targets: { where: `group = ${GROUP}` } });
  expectAllSucceeded(await client.jobs.wait(job.id, { timeoutMs: TIMEOUT_MS }));
}

/**
 * The raw baseline: a lock per device through POST /v1/devices/:id/commands, 32 at a time,
 * then GET /v1/commands/:id of each until every one is final.
 */
async function lockOneByOne(server: SeededServer, deviceIds: string[], dispatcher: Agent): Promise<void> {
  const limit = pLimit(CONCURRENCY);
  const headers = { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' };
  const call = async <T>(
    method: 'GET' | 'POST',
    path: string,
    status: number,
    body?: unknown,
  ): Promise<T> => {
    const response = await request(`${server.url}${path}`, {
      method,
      dispatcher,
      headers,
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const answer = await response.body.text();
    if (response.statusCode !== status)
      throw new Error(`${method} ${path}: ${response.statusCode} ${answer}`);
    return JSON.parse(answer) as T;
  };
  let pending = await Promise.all(
    deviceIds.map((id) =>
      limit(
        async () => (await call<Command>('POST', `/v1/devices/${id}/commands`, 201, { type: 'lock' })).id,
      ),
    ),
  );
  const deadline = Date.now() + TIMEOUT_MS;
  while (pending.length > 0) {
    if (Date.now() > deadline) throw new Error(`${pending.length} single-device locks still open`);
    const statuses = await Promise.all(
      pending.map((id) => limit(async () => (await call<Command>('GET', `/v1/commands/${id}`, 200)).status)),
    );
    const unsuccessful = statuses.filter((s) => s !== 'succeeded' && FINAL_COMMAND_STATUSES.includes(s));
    if (unsuccessful.length > 0) throw new Error(`single-device locks ended ${unsuccessful.join(', ')}`);
    pending = pending.filter((_, i) => !FINAL_COMMAND_STATUSES.includes(statuses[i]!));
    if (pending.length > 0) await sleep(BASELINE_POLL_MS);
  }
}

async function timed(run: () => Promise<void>): Promise<number> {
  const start = performance.now();
  await run();
  return (performance.now() - start) / 1000;
}

/**
 * 2,000 simulated devices, enrolled and long-polling a real server (PGlite, its own process):
 * the time from running `fleetops lock --where 'group = …' --wait` to every device succeeded,
 * against a lock per device through the single-device route. Between two runs the devices
 * are marked unlocked in the store, since a job skips devices already locked.
 */
export async function lock2000(): Promise<BenchResult> {
  const server = await startSeededServer(BYSTANDERS, { checkInIntervalSeconds: CHECK_IN_INTERVAL_SECONDS });
  const configDir = await mkdtemp(join(tmpdir(), 'fleetops-bench-'));
  const client = new FleetClient({ baseUrl: server.url, token: server.token });
  const dispatcher = new Agent({ connections: CONCURRENCY });
  let fleet: Awaited<ReturnType<typeof startFleet>> | undefined;
  try {
    const enrollment = await client.enrollmentTokens.create({ group: GROUP, maxUses: DEVICES });
    const enrollStart = performance.now();
    fleet = await startFleet({ serverUrl: server.url, enrollmentToken: enrollment.token, devices: DEVICES });
    await fleet.ready;
    const enrollSeconds = (performance.now() - enrollStart) / 1000;
    const deviceIds = fleet.devices().map((device) => device.deviceId!);
    const viaCli = cliCanLockBySelector();
    const lockJob = viaCli ? () => lockWithCli(server, configDir) : () => lockWithSdk(client);
    const settle = async () => {
      await server.resetLocks();
      // Devices that just reported are back in their long-poll within moments.
      await sleep(1000);
    };

    // Warm-up: every device receives, runs and reports one lock before anything is timed.
    await lockWithSdk(client);
    await settle();
    const job: number[] = [];
    const oneByOne: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      oneByOne.push(await timed(() => lockOneByOne(server, deviceIds, dispatcher)));
      await settle();
      job.push(await timed(lockJob));
      await settle();
    }

    const figure = median(job);
    const baseline = median(oneByOne);
    return {
      name: 'lock-2000-devices',
      unit: 's',
      figure: round(figure),
      baseline: round(baseline),
      baselineName: `POST /v1/devices/:id/commands per device (${CONCURRENCY} at a time), then GET /v1/commands/:id until all succeeded`,
      ratio: round(figure / baseline),
      better: 'lower',
      target: 'figure < 10 s',
      details: {
        devices: DEVICES,
        rounds: ROUNDS,
        via: viaCli
          ? `fleetops lock --where 'group = ${GROUP}' --wait -o json`
          : 'SDK jobs.create + jobs.wait',
        store: 'pglite',
        enrollSeconds: round(enrollSeconds, 1),
        runsSeconds: { job: job.map((s) => round(s)), oneByOne: oneByOne.map((s) => round(s)) },
        simulatorErrors: fleet.stats().errors,
        // This process: the 2,000 devices, the baseline's client and the bench itself.
        rssMB: Math.round(process.memoryUsage().rss / 2 ** 20),
      },
    };
  } finally {
    await fleet?.stop();
    await dispatcher.close();
    await client.close();
    await server.stop();
    await rm(configDir, { recursive: true, force: true });
  }
}
