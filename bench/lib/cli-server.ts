import { type ChildProcess, type SpawnOptions, spawn } from 'node:child_process';
import { once } from 'node:events';
import { delimiter, dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** The built CLI, as a user runs it. */
export const cliBin = fileURLToPath(new URL('../../packages/cli/bin/fleetops.js', import.meta.url));

/**
 * Runs `fleetops ARGS` the way the installed command runs: through its shebang (which sets the
 * CLI's V8 flags), with this Node first on PATH.
 */
export function spawnCli(args: string[], options: SpawnOptions & { env: NodeJS.ProcessEnv }): ChildProcess {
  const env = { ...options.env, PATH: `${dirname(process.execPath)}${delimiter}${options.env.PATH ?? ''}` };
  return spawn(cliBin, args, { ...options, env });
}

/** `fleetops server start` running in a process of its own. */
export interface CliServer {
  url: string;
  pid: number;
  /** Stops the server (SIGTERM, as Ctrl-C would) and waits for its process to end. */
  stop(): Promise<void>;
}

/** The store a server runs on: a PostgreSQL URL, or the PGlite data directory it keeps. */
export type CliServerStore = { databaseUrl: string } | { dataDir: string };

/**
 * Starts `fleetops server start --port 0` on loopback on the given store, its profile kept in
 * `configDir`; resolves once it listens. The store must be migrated and bootstrapped already
 * (the server finds the org and its tokens there).
 */
export async function startCliServer(store: CliServerStore, configDir: string): Promise<CliServer> {
  const storeArgs =
    'databaseUrl' in store
      ? ['--database-url', store.databaseUrl, '--data-dir', join(configDir, 'data')]
      : ['--data-dir', store.dataDir];
  const args = ['server', 'start', ...storeArgs, '--port', '0', '--host', '127.0.0.1', '-o', 'ndjson', '-q'];
  const env: NodeJS.ProcessEnv = { ...process.env, FLEETOPS_CONFIG_DIR: configDir, NO_COLOR: '1' };
  delete env.FLEETOPS_PROFILE;
  delete env.DATABASE_URL;
  const child = spawnCli(args, { env, stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = once(child, 'exit');
  const first = await createInterface({ input: child.stdout! })[Symbol.asyncIterator]().next();
  if (first.done) throw new Error('fleetops server start exited before listening');
  const { url } = JSON.parse(first.value) as { url: string };
  return {
    url,
    pid: child.pid!,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
