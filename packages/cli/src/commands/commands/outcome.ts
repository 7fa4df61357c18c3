import { parseDuration } from '@fleetops/protocol';
import { type Command, type FleetClient, FleetTimeoutError } from '@fleetops/sdk';
import { CliError, ExitCode } from '../../errors';
import type { IO } from '../../io';
import { record } from '../../output/view';
import { spin } from '../../spinner';
import { commandColumns } from './columns';

/** What {@link waitForOutcome} says while it waits and when it gives up. */
export interface WaitWording {
  /** Spinner text, e.g. `waiting for device …`. */
  waiting: string;
  /** What is waited for, e.g. `lock … on device …`. */
  subject: string;
}

/**
 * Waits until command `id` reaches a final status, at most `timeout` (`60s`, `5m`…). Exits 0
 * when it succeeded, 3 when it failed, expired or was canceled (with a warning line), and
 * throws exit 7 when the wait timed out, with the command to wait again.
 */
export async function waitForOutcome(
  fleet: FleetClient,
  io: IO,
  id: string,
  timeout: string,
  wording: WaitWording,
) {
  const timeoutMs = parseDuration(timeout)! * 1000;
  try {
    const done = await spin(io, wording.waiting, () => fleet.commands.wait(id, { timeoutMs }));
    const exitCode = done.status === 'succeeded' ? ExitCode.ok : ExitCode.partialFailure;
    if (exitCode !== ExitCode.ok) io.warn(describeFailure(done));
    return record(done, commandColumns, { exitCode });
  } catch (error) {
    if (!(error instanceof FleetTimeoutError)) throw error;
    throw new CliError(
      `timed out after ${timeout} waiting for ${wording.subject}`,
      ExitCode.timedOut,
      followHint(id),
      error,
    );
  }
}

/** How to see a command through later. */
export const followHint = (id: string) => `wait for it with: fleetops commands wait ${id}`;

const describeFailure = (command: Command) =>
  `${command.type} ${command.id} ${command.status}${command.error ? `: ${command.error}` : ''}`;
