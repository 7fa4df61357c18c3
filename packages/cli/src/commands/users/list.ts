import type { UserStatus } from '@fleetops/protocol';
import type { Handler } from '../../command';
import { list } from '../../output/view';
import { userListColumns } from './columns';

/** Options of `users list`. */
export interface ListUsersOptions {
  status?: UserStatus | 'all';
}

const PAGE_SIZE = 500;

/** Lists users, fetching pages only as output consumes them. */
export const handler: Handler<ListUsersOptions> = async (opts, { client }) => {
  const users = (await client()).users.list({ status: opts.status ?? 'all', limit: PAGE_SIZE });
  return list(users, userListColumns, { emptyMessage: 'no users match' });
};
