import type { Handler } from '../../command';
import { list } from '../../output/view';
import { take } from '../devices/list';
import { eventColumns } from './columns';
import { type EventFilterOptions, eventFilter } from './filters';

/** Options of `audit query`. */
export interface QueryOptions extends EventFilterOptions {
  limit?: number;
}

const PAGE_SIZE = 500;

/** Lists device events, oldest first, fetching pages only as output consumes them. */
export const handler: Handler<QueryOptions> = async (opts, { client, clock }) => {
  const fleet = await client();
  const filter = await eventFilter(fleet, opts, clock());
  const events = fleet.audit.events.list({ ...filter, limit: Math.min(opts.limit ?? PAGE_SIZE, PAGE_SIZE) });
  return list(take(events, opts.limit), eventColumns, { emptyMessage: 'no events match' });
};
