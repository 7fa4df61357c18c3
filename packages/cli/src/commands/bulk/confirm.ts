import type { FleetClient } from '@fleetops/sdk';
import { CliError, ExitCode, UsageError } from '../../errors';
import type { IO } from '../../io';
import { previewJob, summarize } from './preview';
import type { RefusalContext } from './refusals';

/**
 * Refuses a destructive job that nobody can confirm (no terminal, or stdin carries the device
 * ids) unless `--yes` was given: exit 2, before anything is sent.
 */
export function requireConfirmable(context: RefusalContext, io: IO): void {
  const { verb, source } = context;
  const why = io.isNonInteractiveOrCI()
    ? 'not at a terminal'
    : source === 'stdin'
      ? 'stdin holds the device ids'
      : undefined;
  if (why) {
    throw new UsageError(
      `refusing to ${verb.type} devices without confirmation (${why})`,
      `check them with --dry-run, then pass --yes to confirm`,
    );
  }
}

/**
 * Shows what a destructive job would do and has the person type the number of devices it
 * would act on (no question when that is 0). Returns the number of devices the targets
 * resolved to, to be sent as the job's `expectCount`: the job is refused if the fleet changed
 * since. A job the server would refuse exits 8 without asking; a wrong answer cancels (exit 1).
 */
export async function confirmDestructive(
  fleet: FleetClient,
  io: IO,
  context: RefusalContext,
): Promise<number> {
  const preview = await previewJob(fleet, io, context, 0);
  if (preview.refusal) {
    throw new CliError(`refused: ${preview.refusal}`, ExitCode.refusedByGuard, '--dry-run shows the devices');
  }
  const count = preview.eligibleCount;
  if (count > 0) {
    const [, ...details] = summarize(preview, context.source);
    const { confirmCount } = await import('../../views/confirm-count');
    const confirmed = await confirmCount(
      {
        action: `${context.verb.type} ${count} device(s)? This cannot be undone.`,
        details: details.filter((line) => !line.startsWith('approval: not')),
        count,
      },
      { stdin: io.stdin, stderr: io.stderr },
    );
    if (!confirmed) throw new CliError('canceled: nothing was sent', ExitCode.error);
  }
  return preview.targetCount;
}
