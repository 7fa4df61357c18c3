import type { Handler } from '../../command';
import { list } from '../../output/view';
import { take } from '../devices/list';
import { activityColumns } from './columns';
import { pointInTime } from './filters';

/** Options of `audit activity`. */
export interface ActivityOptions {
  actor?: string;
  action?: string;
  target?: string;
  since?: string;
  until?: string;
  limit?: number;
}

const PAGE_SIZE = 500;

/** Lists the admin activity log, oldest first: who changed what, when, and from where. */
export const handler: Handler<ActivityOptions> = async (opts, { client, clock }) => {
  const now = clock();
  const entries = (await client()).audit.activity.list({
    actor: opts.actor,
    action: opts.action,
    targetId: opts.target,
    since: opts.since === undefined ? undefined : pointInTime(opts.since, now),
    until: opts.until === undefined ? undefined : pointInTime(opts.until, now),
    limit: Math.min(opts.limit ?? PAGE_SIZE, PAGE_SIZE),
  });
  return list(take(entries, opts.limit), activityColumns, { emptyMessage: 'no activity matches' });
};
