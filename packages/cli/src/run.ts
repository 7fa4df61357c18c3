import type { FleetClient } from '@fleetops/sdk';
import { version } from '../package.json';
import type { CommandSpec, Credentials, Deps, GlobalOptions } from './command';
import { openProfileStore, type ProfileStore } from './config';
import { type ClientContext, clientContext } from './context';
import { resolveCredentials } from './credentials';
import { reportError } from './errors';
import { createIO, type IO, type Streams } from './io';
import { renderResult } from './output/render';
import { ask } from './prompt';
import { untilStopped } from './signals';

/** Replacements for the real world, for tests of the runner. */
export interface RunOverrides {
  streams?: Streams;
  config?: ProfileStore;
  clock?: () => Date;
}

/**
 * Runs one parsed command: loads its handler, calls it with its dependencies, renders what it
 * returns and turns any error into one line on stderr. Returns the exit code.
 */
export async function runCommand(
  spec: CommandSpec,
  opts: GlobalOptions,
  overrides: RunOverrides = {},
): Promise<number> {
  const streams = overrides.streams ?? process;
  const io = createIO(streams, { noColor: !opts.color, quiet: opts.quiet });
  const clients = new ClientPool(clientContext(streams.env, opts.context));
  try {
    const { handler } = await spec.load();
    const config = overrides.config ?? openProfileStore(streams.env);
    const deps = createDeps(io, opts, config, clients, overrides.clock ?? (() => new Date()));
    const result = await handler(opts as never, deps);
    await renderResult(result, opts.output, io, deps.clock());
    return result.exitCode ?? 0;
  } catch (error) {
    // Only a run that opened a client can fail with an SDK error, and only then is the SDK loaded.
    const explained = clients.lastServer
      ? (await import('./sdk-errors')).explainSdkError(error, clients.lastServer)
      : error;
    return reportError(explained, io.stderr, {
      verbose: opts.verbose,
      color: io.stderrColor,
    });
  } finally {
    await clients.close();
  }
}

function createDeps(
  io: IO,
  opts: GlobalOptions,
  config: ProfileStore,
  clients: ClientPool,
  clock: () => Date,
): Deps {
  return {
    io,
    config,
    clock,
    client: (credentials) => clients.open(credentials ?? resolveCredentials(opts, config)),
    ask: (question) => ask(io, question),
    untilStopped,
    emit: (result) => renderResult(result, opts.output, io, clock()),
  };
}

/** The SDK clients a run opened, closed at its end so that no connection keeps the process alive. */
class ClientPool {
  readonly #clients: FleetClient[] = [];
  /** The server of the last client opened, for error messages. */
  lastServer: string | undefined;

  /** `context`: sent with every change the clients make. */
  constructor(readonly context: ClientContext | undefined) {}

  async open(credentials: Credentials): Promise<FleetClient> {
    this.lastServer = credentials.server;
    const { FleetClient } = await import('@fleetops/sdk');
    const client = new FleetClient({
      baseUrl: credentials.server,
      token: credentials.token,
      userAgent: `fleetops-cli/${version}`,
      context: this.context,
    });
    this.#clients.push(client);
    return client;
  }

  async close(): Promise<void> {
    await Promise.all(this.#clients.map((c) => c.close()));
  }
}
