import type { Readable, Writable } from 'node:stream';
import { printable } from './output/printable';

/** The streams and environment a command runs against; tests pass their own. */
export interface Streams {
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable & { isTTY?: boolean };
  stdin: Readable & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
}

/**
 * Whether a person is at the terminal: stdin and stdout are both TTYs, so spinners,
 * live views and prompts make sense.
 */
export function isInteractive(streams: Streams = process): boolean {
  return Boolean(streams.stdin.isTTY && streams.stdout.isTTY) && streams.env.TERM !== 'dumb';
}

/** Whether the `CI` variable says a pipeline runs us (any value but empty, `0` or `false`). */
export function isCI(env: NodeJS.ProcessEnv = process.env): boolean {
  const value = env.CI?.trim().toLowerCase();
  return value !== undefined && value !== '' && value !== '0' && value !== 'false';
}

/** No prompts, no animation: not a TTY, or running in CI. Data as asked, progress as plain lines. */
export function isNonInteractiveOrCI(streams: Streams = process): boolean {
  return !isInteractive(streams) || isCI(streams.env);
}

/**
 * Whether to colour what goes to `stream`: `--no-color` and `NO_COLOR` turn colour off,
 * `FORCE_COLOR` (other than `0`) turns it on, otherwise only a TTY gets colour.
 */
export function colorEnabled(
  stream: { isTTY?: boolean },
  env: NodeJS.ProcessEnv,
  noColorFlag = false,
): boolean {
  if (noColorFlag || (env.NO_COLOR !== undefined && env.NO_COLOR !== '')) return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '') return env.FORCE_COLOR !== '0';
  return Boolean(stream.isTTY) && env.TERM !== 'dumb';
}

/** What a handler uses to talk to the person or script that runs it. */
export interface IO {
  readonly stdout: Streams['stdout'];
  readonly stderr: Streams['stderr'];
  readonly stdin: Streams['stdin'];
  readonly env: NodeJS.ProcessEnv;
  /** See {@link isInteractive}. */
  isInteractive(): boolean;
  /** See {@link isNonInteractiveOrCI}. */
  isNonInteractiveOrCI(): boolean;
  /** Whether results on stdout may be coloured. */
  readonly color: boolean;
  /** Whether messages on stderr may be coloured. */
  readonly stderrColor: boolean;
  /** Whether `--quiet` asked for no progress or hints. */
  readonly quiet: boolean;
  /** A line for people (progress, hints) on stderr; silent with `--quiet`. Control characters are shown, not sent. */
  info(line: string): void;
  /** A warning line on stderr, shown even with `--quiet`. Control characters are shown, not sent. */
  warn(line: string): void;
}

/** Options of {@link createIO}. */
export interface IOOptions {
  noColor?: boolean;
  quiet?: boolean;
}

/** Builds the {@link IO} of a run from its streams and the global flags. */
export function createIO(streams: Streams = process, options: IOOptions = {}): IO {
  const stderrColor = colorEnabled(streams.stderr, streams.env, options.noColor);
  const quiet = options.quiet ?? false;
  return {
    stdout: streams.stdout,
    stderr: streams.stderr,
    stdin: streams.stdin,
    env: streams.env,
    isInteractive: () => isInteractive(streams),
    isNonInteractiveOrCI: () => isNonInteractiveOrCI(streams),
    color: colorEnabled(streams.stdout, streams.env, options.noColor),
    stderrColor,
    quiet,
    info(line) {
      if (!quiet) streams.stderr.write(`${printable(line)}\n`);
    },
    warn(line) {
      streams.stderr.write(`${stderrColor ? '\x1b[33mwarning:\x1b[39m' : 'warning:'} ${printable(line)}\n`);
    },
  };
}

/**
 * Ends the process quietly when the reader of `stream` goes away (`fleetops devices ls | head`):
 * an EPIPE is the normal end of a pipeline, not an error.
 */
export function exitOnClosedPipe(stream: NodeJS.WritableStream = process.stdout): void {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(process.exitCode ?? 0);
  });
}
