import {
  type FleetApiError,
  FleetBadRequestError,
  FleetConflictError,
  FleetRateLimitError,
} from '@fleetops/sdk';
import { CliError, ExitCode } from '../../errors';

/**
 * Turns the server's refusal of a remediation into one clear line: a guard (`--expect-count`,
 * `--max-targets`) exits 8; a conflict or a spent destructive budget says what the server said.
 * Other errors pass through unchanged.
 */
export function explainRemediationRefusal(error: unknown): never {
  if (error instanceof FleetBadRequestError && error.code === 'guard_refused') {
    throw new CliError(
      `refused: ${serverText(error)}`,
      ExitCode.refusedByGuard,
      '--dry-run shows the plan',
      error,
    );
  }
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

/** The server's own words, without the status, code and request id the SDK puts around them. */
function serverText(error: FleetApiError): string {
  return error.message.replace(/^\d{3} [a-z_]+: /, '').replace(/ \(request [^)]*\)$/, '');
}
