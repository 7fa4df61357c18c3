import type { Handler } from '../../command';
import { notFoundAs } from '../../sdk-errors';
import { requireId } from '../ids';
import { waitForOutcome } from './outcome';

/** Options of `commands wait`. */
export interface CommandWaitOptions {
  id: string;
  timeout: string;
}

/**
 * Waits for a command's final status: exits 0 when it succeeded, 3 when it failed, expired or
 * was canceled, 7 when the wait timed out.
 */
export const handler: Handler<CommandWaitOptions> = async (opts, { client, io }) => {
  requireId(opts.id, 'command');
  const fleet = await client();
  return waitForOutcome(fleet, io, opts.id, opts.timeout, {
    waiting: `waiting for command ${opts.id}`,
    subject: `command ${opts.id}`,
  }).catch(notFoundAs(`command ${opts.id}`));
};
