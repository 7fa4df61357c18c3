import { FINAL_ROLLOUT_STATUSES, parseDuration } from '@fleetops/protocol';
import type { FleetClient, Rollout } from '@fleetops/sdk';
import { CliError, ExitCode } from '../../errors';
import type { IO } from '../../io';
import { type CommandResult, record } from '../../output/view';
import { signalExitCode, watchUntil } from '../../watch-until';
import { rolloutColumns } from './rollout-columns';
import { openRolloutDisplay } from './rollout-display';
import { rolloutLine } from './rollout-progress';

/** Whether a rollout goes on by itself: not final and not halted (which waits for a person). */
export const isMoving = (rollout: Rollout): boolean =>
  !FINAL_ROLLOUT_STATUSES.includes(rollout.status) && rollout.status !== 'halted';

/**
 * Follows a rollout until it is final or halted, at most `timeout` (`90s`, `2h`…), showing its
 * waves on stderr, and returns it. Exits 0 when it completed, 3 when it halted, was aborted or
 * rolled back, 7 when the wait timed out; Ctrl-C stops following. The rollout goes on on the
 * server in every case.
 */
export async function followRollout(
  fleet: FleetClient,
  io: IO,
  rollout: Rollout,
  options: { timeout: string },
): Promise<CommandResult> {
  if (!isMoving(rollout)) {
    io.info(rolloutLine(rollout, new Date()));
    return outcome(io, rollout);
  }
  const ending = await watchUntil(
    rollout,
    (signal) => fleet.rollouts.watch(rollout.id, { signal }),
    await openRolloutDisplay(io, rollout),
    parseDuration(options.timeout)! * 1000,
  );
  switch (ending.kind) {
    case 'ended':
      return outcome(io, ending.last);
    case 'timedOut':
      throw new CliError(
        `timed out after ${options.timeout} waiting for rollout ${rollout.id}, still ${ending.last.status} ` +
          `at wave ${ending.last.currentWave + 1}/${ending.last.waves.length}`,
        ExitCode.timedOut,
        `the rollout continues on the server; ${reattachHint(rollout.policy)}`,
      );
    case 'stopped':
      io.warn(
        `stopped following rollout ${rollout.id} (${ending.signal}); the rollout continues on the server`,
      );
      io.info(reattachHint(rollout.policy));
      return { kind: 'none', exitCode: signalExitCode(ending.signal) };
  }
}

const reattachHint = (policy: string) => `follow it again with: fleetops policy rollout status ${policy}`;

/** The rollout, and an exit code that says whether it completed. */
function outcome(io: IO, rollout: Rollout): CommandResult {
  if (rollout.status === 'completed') return record(rollout, rolloutColumns);
  if (rollout.status === 'halted') {
    io.warn(`rollout of ${rollout.policy} halted: ${rollout.haltReason ?? 'too many devices failed'}`);
    io.info(
      `resume it: fleetops policy rollout resume ${rollout.policy}; or undo it: fleetops policy rollback ${rollout.policy}`,
    );
  } else {
    io.warn(
      `rollout of ${rollout.policy} ${rollout.status.replace('_', ' ')}: its devices are back on ${rollout.fromVersion === null ? 'no version of it' : `v${rollout.fromVersion}`}`,
    );
  }
  return record(rollout, rolloutColumns, { exitCode: ExitCode.partialFailure });
}
