import { FleetBadRequestError } from '@fleetops/sdk';
import { CliError, ExitCode } from '../../errors';
import { explainConflictOrBudget, serverText } from '../bulk/refusals';

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
  explainConflictOrBudget(error);
}
