import { parseDuration } from '@fleetops/protocol';
import { type Command, FleetTimeoutError } from '@fleetops/sdk';
import type { Handler } from '../command';
import { CliError, ExitCode } from '../errors';
import { timestampCell } from '../output/time';
import { type Column, record } from '../output/view';
import { notFoundAs } from '../sdk-errors';
import { spin } from '../spinner';
import { requireId } from './ids';

/** Options of `lock`. */
export interface LockOptions {
  deviceId: string;
  message?: string;
  wait?: boolean;
  timeout: string;
}

const commandColumns: Column<Command>[] = [
  { key: 'id', header: 'Command', value: (c) => c.id },
  { key: 'deviceId', header: 'Device', value: (c) => c.deviceId },
  { key: 'type', header: 'Type', value: (c) => c.type },
  { key: 'status', header: 'Status', value: (c) => c.status },
  { key: 'error', header: 'Error', value: (c) => c.error },
  { key: 'createdAt', header: 'Sent', value: (c, x) => timestampCell(c.createdAt, x) },
  { key: 'completedAt', header: 'Completed', value: (c, x) => timestampCell(c.completedAt, x) },
];

/**
 * Sends a lock command; with `--wait`, waits for its final status and exits 0 when it
 * succeeded, 3 when it failed, expired or was canceled, 7 when the wait timed out.
 */
export const handler: Handler<LockOptions> = async (opts, { client, io }) => {
  requireId(opts.deviceId, 'device');
  const fleet = await client();
  const params = opts.message === undefined ? {} : { message: opts.message };
  const sent = await spin(io, 'sending lock', () =>
    fleet.commands.send(opts.deviceId, { type: 'lock', params }),
  ).catch(notFoundAs(`device ${opts.deviceId}`));
  if (!opts.wait) {
    io.info(`lock ${sent.id} is ${sent.status}; follow it with --wait`);
    return record(sent, commandColumns);
  }
  const timeoutMs = parseDuration(opts.timeout)! * 1000;
  try {
    const done = await spin(io, `waiting for device ${opts.deviceId}`, () =>
      fleet.commands.wait(sent.id, { timeoutMs }),
    );
    const exitCode = done.status === 'succeeded' ? ExitCode.ok : ExitCode.partialFailure;
    if (exitCode !== ExitCode.ok)
      io.warn(`lock ${done.id} ${done.status}${done.error ? `: ${done.error}` : ''}`);
    return record(done, commandColumns, { exitCode });
  } catch (error) {
    if (!(error instanceof FleetTimeoutError)) throw error;
    throw new CliError(
      `timed out after ${opts.timeout} waiting for lock ${sent.id} on device ${opts.deviceId}`,
      ExitCode.timedOut,
      `see where it stands later: the command id is ${sent.id}`,
      error,
    );
  }
};
