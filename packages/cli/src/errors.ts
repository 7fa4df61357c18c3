import { printable } from './output/printable';

/** Exit codes a script can branch on; the only place they are defined. */
export const ExitCode = {
  ok: 0,
  error: 1,
  usage: 2,
  partialFailure: 3,
  complianceViolations: 4,
  auditChainBroken: 5,
  awaitingApproval: 6,
  timedOut: 7,
  refusedByGuard: 8,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** What each exit code means, for `--help` and the generated docs. */
export const EXIT_CODE_MEANINGS: Record<ExitCode, string> = {
  0: 'ok',
  1: 'error (API, network, unexpected)',
  2: 'usage error (bad flags or arguments, no credentials)',
  3: 'partial failure (some devices failed or expired)',
  4: 'compliance violations at or above --fail-on',
  5: 'audit chain broken',
  6: 'awaiting approval',
  7: 'timed out waiting',
  8: 'refused by a guard (--expect-count, --max-targets, empty selector)',
};

/** The exit-code table as shown at the end of `fleetops --help`. */
export function exitCodeHelp(): string {
  const rows = Object.entries(EXIT_CODE_MEANINGS).map(
    ([code, meaning]) => `  ${code.padStart(2)}  ${meaning}`,
  );
  return `Exit codes:\n${rows.join('\n')}`;
}

/** An expected failure: printed as one `error:` line (plus an optional hint), no stack. */
export class CliError extends Error {
  override name = 'CliError';
  constructor(
    message: string,
    readonly exitCode: ExitCode = ExitCode.error,
    /** What to try next, shown as a `hint:` line. */
    readonly hint?: string,
    /** The error this one explains; its stack is shown under `--verbose`. */
    cause?: unknown,
  ) {
    super(message, cause === undefined ? undefined : { cause });
  }
}

/** The command was called wrongly: exit code 2. */
export class UsageError extends CliError {
  override name = 'UsageError';
  constructor(message: string, hint?: string) {
    super(message, ExitCode.usage, hint);
  }
}

/** Options of {@link reportError}. */
export interface ReportOptions {
  verbose: boolean;
  color: boolean;
}

/**
 * Writes `error` to `stderr` and returns its exit code: a {@link CliError} is one line
 * (and a hint); anything else is a bug, shown with its stack under `--verbose`. Messages may
 * quote a server or a device, so their control characters are shown, not sent.
 */
export function reportError(error: unknown, stderr: NodeJS.WritableStream, options: ReportOptions): ExitCode {
  const label = options.color ? '\x1b[31merror:\x1b[39m' : 'error:';
  const known = error instanceof CliError;
  const message = error instanceof Error ? error.message : String(error);
  stderr.write(`${label} ${printable(message)}\n`);
  if (known && error.hint) stderr.write(`hint: ${printable(error.hint)}\n`);
  if (options.verbose && error instanceof Error) {
    const traced = known && error.cause instanceof Error ? error.cause : error;
    if (traced.stack) stderr.write(`${traced.stack}\n`);
  }
  return known ? error.exitCode : ExitCode.error;
}
