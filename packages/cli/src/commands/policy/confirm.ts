import type { Deps } from '../../command';
import { CliError, UsageError } from '../../errors';

/**
 * Asks a person at a terminal to confirm `action`; a script must pass `--yes` (else exit 2).
 * Anything but `y` or `yes` cancels (exit 1).
 */
export async function confirm({ io, ask }: Pick<Deps, 'io' | 'ask'>, action: string): Promise<void> {
  if (io.isNonInteractiveOrCI()) {
    throw new UsageError(`refusing to ${action} without confirmation`, 'pass --yes to confirm');
  }
  const answer = (await ask(`${action.charAt(0).toUpperCase()}${action.slice(1)}? Type yes: `)).toLowerCase();
  if (answer !== 'y' && answer !== 'yes') throw new CliError(`canceled: nothing was changed`);
}
