import type { Handler } from '../command';
import { record } from '../output/view';
import { notFoundAs } from '../sdk-errors';
import { spin } from '../spinner';
import { commandColumns } from './commands/columns';
import { followHint, waitForOutcome } from './commands/outcome';
import { requireId } from './ids';

/** Options of `lock`. */
export interface LockOptions {
  deviceId: string;
  message?: string;
  wait?: boolean;
  timeout: string;
}

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
    io.info(`lock ${sent.id} is ${sent.status}; ${followHint(sent.id)}`);
    return record(sent, commandColumns);
  }
  return waitForOutcome(fleet, io, sent.id, opts.timeout, {
    waiting: `waiting for device ${opts.deviceId}`,
    subject: `lock ${sent.id} on device ${opts.deviceId}`,
  });
};
