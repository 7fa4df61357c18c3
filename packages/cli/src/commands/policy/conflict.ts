import { FleetConflictError } from '@fleetops/sdk';
import { CliError } from '../../errors';

/** A 409 from an apply or rollback: the policy set moved on since the plan. One line, exit 1. */
export function explainConflict(error: unknown): never {
  if (error instanceof FleetConflictError) {
    throw new CliError(error.message, undefined, 'plan again (fleetops policy plan), then apply', error);
  }
  throw error;
}
