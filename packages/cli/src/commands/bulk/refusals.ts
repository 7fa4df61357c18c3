import type { CreateJobRequest, UnresolvedTarget } from '@fleetops/protocol';
import {
  type FleetApiError,
  FleetBadRequestError,
  FleetConflictError,
  FleetRateLimitError,
} from '@fleetops/sdk';
import { CliError, ExitCode } from '../../errors';
import { describeProblem } from './request';
import type { BulkVerb } from './verbs';

/** What a refusal is explained against: the verb, the request, and where its devices were listed. */
export interface RefusalContext {
  verb: BulkVerb;
  body: CreateJobRequest;
  source: string | undefined;
}

/** Unresolved devices an error lists, at most; a dry run lists them all. */
const MAX_UNRESOLVED_SHOWN = 20;

/**
 * Turns the server's refusal of a job into one clear line: a guard (`guard_refused`) exits 8
 * and lists the devices it could not resolve, each with its line; a field the server refused
 * names the flag (exit 1); a conflict or a spent budget says what the server said. Other
 * errors pass through unchanged.
 */
export function explainRefusal(context: RefusalContext) {
  return (error: unknown): never => {
    if (error instanceof FleetBadRequestError && error.code === 'guard_refused') {
      const lines = unresolvedLines(unresolvedOf(error), context.source);
      throw new CliError(
        [`refused: ${serverText(error)}`, ...lines].join('\n'),
        ExitCode.refusedByGuard,
        guardHint(error),
        error,
      );
    }
    if (error instanceof FleetBadRequestError && error.issues.length > 0) {
      const problems = error.issues.map((issue) =>
        describeProblem(context.verb, context.body, context.source, {
          path: issue.path.split('.').filter((part, i) => i > 0 || part !== 'body'),
          message: issue.message,
        }),
      );
      throw new CliError(
        `the server refused the ${context.verb.type} job: ${problems.join('; ')}`,
        ExitCode.error,
        undefined,
        error,
      );
    }
    explainConflictOrBudget(error);
  };
}

/**
 * A conflict or a spent destructive budget, in the server's words (with when to try again);
 * any other error passes through unchanged.
 */
export function explainConflictOrBudget(error: unknown): never {
  if (error instanceof FleetConflictError) {
    throw new CliError(`refused: ${serverText(error)}`, ExitCode.error, undefined, error);
  }
  if (error instanceof FleetRateLimitError) {
    const wait =
      error.retryAfterMs === undefined
        ? undefined
        : `try again in ${Math.ceil(error.retryAfterMs / 60_000)} min`;
    throw new CliError(`refused: ${serverText(error)}`, ExitCode.error, wait, error);
  }
  throw error;
}

/**
 * Lines naming devices that could not be resolved, each with the line of the list that named
 * it: `lost.csv:4: serial "SER9" (line 4) matches no device`.
 */
export function unresolvedLines(
  unresolved: UnresolvedTarget[],
  source: string | undefined,
  limit = MAX_UNRESOLVED_SHOWN,
): string[] {
  const lines = unresolved
    .slice(0, limit)
    .map(
      (target) => `  ${target.line !== null && source ? `${source}:${target.line}: ` : ''}${target.message}`,
    );
  const more = unresolved.length - lines.length;
  return more > 0 ? [...lines, `  … and ${more} more (--dry-run lists them all)`] : lines;
}

function unresolvedOf(error: FleetApiError): UnresolvedTarget[] {
  const unresolved = error.details?.unresolved;
  return Array.isArray(unresolved) ? (unresolved as UnresolvedTarget[]) : [];
}

/** What to do about a guard: look before acting, or say "every device" in so many words. */
function guardHint(error: FleetApiError): string {
  const look = '--dry-run shows what the job would act on';
  return /--all\b/.test(error.message) ? 'add --all if the selector is meant to match every device' : look;
}

/** The server's own words, without the status, code and request id the SDK puts around them. */
export function serverText(error: FleetApiError): string {
  return error.message.replace(/^\d{3} [a-z_]+: /, '').replace(/ \(request [^)]*\)$/, '');
}
