import { mkdir } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import type { RunningServer } from '@fleetops/server';
import type { RunningFleet } from '@fleetops/simulator';
import type { Deps, Handler } from '../../command';
import { CliError, ExitCode } from '../../errors';
import type { IO } from '../../io';
import { type Column, record } from '../../output/view';
import { type FleetProgress, reportFleetProgress, statsLine } from '../fleet-progress';

/** Options of `server start`. */
export interface StartServerOptions {
  dataDir?: string;
  port: number;
  host: string;
  publicUrl?: string;
  databaseUrl?: string;
  simulate?: number;
  seed?: number;
  logLevel: 'silent' | 'error' | 'warn' | 'info' | 'debug';
}

/** What `server start` prints once it is up. */
export interface StartedServer {
  url: string;
  dataDir: string;
  database: string;
  profile: string;
  simulatedDevices: number;
}

const PROFILE = 'local';

/** Hosts that mean every address of the machine. */
const ANY_ADDRESS = new Set(['0.0.0.0', '::', '[::]']);

const columns: Column<StartedServer>[] = [
  { key: 'url', header: 'URL', value: (s) => s.url },
  { key: 'dataDir', header: 'Data', value: (s) => s.dataDir },
  { key: 'database', header: 'Database', value: (s) => s.database },
  { key: 'profile', header: 'CLI profile', value: (s) => `${s.profile} (current)` },
  { key: 'simulatedDevices', header: 'Simulated devices', value: (s) => s.simulatedDevices },
];

/** `$XDG_DATA_HOME/fleetops`, else `~/.local/share/fleetops`. */
export function defaultDataDir(env: NodeJS.ProcessEnv): string {
  return join(env.XDG_DATA_HOME || join(homedir(), '.local', 'share'), 'fleetops');
}

/**
 * Boots the server in this process, logs the CLI in to it as profile `local`, optionally runs
 * simulated devices, and stops everything cleanly (fleet first) at SIGINT or SIGTERM, also
 * while the devices are still enrolling.
 */
export const handler: Handler<StartServerOptions> = async (opts, deps) => {
  const { io } = deps;
  const stopped = deps.untilStopped();
  const dataDir = resolve(opts.dataDir ?? defaultDataDir(io.env));
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const { startServer } = await import('@fleetops/server');
  const server = await startServer({
    port: opts.port,
    host: opts.host,
    dataDir,
    databaseUrl: opts.databaseUrl,
    publicUrl: opts.publicUrl,
    logLevel: opts.logLevel,
    logStream: io.stderr,
  }).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EADDRINUSE') throw error;
    throw new CliError(
      `${opts.host}:${opts.port} is already in use`,
      ExitCode.error,
      'is a server already running? else pick another --port',
      error,
    );
  });
  if (ANY_ADDRESS.has(opts.host) && !opts.publicUrl) {
    io.warn(
      `listening on ${opts.host}, but enrollment payloads and QR codes carry ${server.url}, which other machines cannot reach: pass --public-url`,
    );
  }
  let simulated: SimulatedFleet | undefined;
  try {
    deps.config.save(PROFILE, { server: server.url, token: await adminToken(server, deps) });
    deps.config.use(PROFILE);
    if (opts.simulate) simulated = await simulate(server, opts.simulate, opts.seed, dataDir, deps);
    // Ctrl-C while the devices enroll stops at once, not once the last one is up.
    let signal = simulated && (await Promise.race([stopped, simulated.fleet.ready.then(() => undefined)]));
    if (signal === undefined) {
      if (simulated) io.info(statsLine(simulated.fleet.stats()));
      await deps.emit(
        record<StartedServer>(
          {
            url: server.url,
            dataDir,
            database: opts.databaseUrl ? 'PostgreSQL (--database-url)' : join(dataDir, 'db'),
            profile: PROFILE,
            simulatedDevices: opts.simulate ?? 0,
          },
          columns,
        ),
      );
      const hideStatus = await showStatus(server.url, dataDir, simulated, io);
      signal = await stopped.finally(hideStatus);
    }
    io.info(`${signal}: stopping…`);
  } finally {
    await simulated?.fleet.stop();
    await server.close();
  }
  io.info('stopped');
  return { kind: 'none' };
};

/** The admin token of profile `local`: a new org's first token, the saved one if it still works, or a new one. */
async function adminToken(server: RunningServer, deps: Deps): Promise<string> {
  if (server.adminToken) return server.adminToken;
  const saved = deps.config.get(PROFILE)?.token;
  if (saved) {
    try {
      await (await deps.client({ server: server.url, token: saved })).whoami();
      return saved;
    } catch (error) {
      // Imported here, not at the top: a server started without a saved token never loads the SDK.
      const { FleetAuthError } = await import('@fleetops/sdk');
      if (!(error instanceof FleetAuthError)) throw error;
    }
  }
  return server.createAdminToken('local-cli');
}

interface SimulatedFleet {
  fleet: RunningFleet;
  progress: FleetProgress;
}

/**
 * Shows that the server runs: a live Ink view at an interactive terminal, plain lines
 * (and a stats line now and then) otherwise. Returns the function that hides it.
 */
async function showStatus(url: string, dataDir: string, simulated: SimulatedFleet | undefined, io: IO) {
  if (io.isNonInteractiveOrCI() || io.quiet) {
    io.info(`fleetops server running at ${url}; try: fleetops devices ls`);
    io.info('press Ctrl-C to stop (data is kept)');
    return simulated ? simulated.progress.watch(simulated.fleet) : () => {};
  }
  const { renderServerStatus } = await import('../../views/server-status');
  const fleet = simulated?.fleet;
  const view = renderServerStatus({ url, dataDir, ...(fleet && { stats: () => fleet.stats() }) }, io.stderr);
  simulated?.progress.logTo((line) => view.log(line));
  return () => view.stop();
}

/** Starts the simulated devices; they enroll in the background (see `fleet.ready`). */
async function simulate(
  server: RunningServer,
  devices: number,
  seed: number | undefined,
  dataDir: string,
  { io }: Deps,
): Promise<SimulatedFleet> {
  const { startFleet } = await import('@fleetops/simulator');
  const stateDir = join(dataDir, 'simulator');
  await mkdir(stateDir, { recursive: true, mode: 0o700 });
  const enrollment = await server.createEnrollmentToken({ group: 'simulated', expiresInSeconds: 24 * 3600 });
  const progress = reportFleetProgress(io);
  io.info(`starting ${devices} simulated devices…`);
  const fleet = await startFleet({
    serverUrl: server.url,
    enrollmentToken: enrollment.token,
    devices,
    seed,
    stateFile: join(stateDir, 'fleet.json'),
    onEvent: progress.onEvent,
  });
  return { fleet, progress };
}
