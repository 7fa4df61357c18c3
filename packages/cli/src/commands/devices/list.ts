import {
  type ManagementMode,
  type Os,
  parseDuration,
  parseSelector,
  SelectorError,
} from '@fleetops/protocol';
import type { DeviceListQuery } from '@fleetops/sdk';
import type { Handler } from '../../command';
import { UsageError } from '../../errors';
import { list } from '../../output/view';
import { deviceListColumns } from './columns';

/** Options of `devices list`. */
export interface ListDevicesOptions {
  os?: Os;
  group?: string;
  label?: string;
  model?: string;
  mode?: ManagementMode;
  seenWithin?: string;
  notSeenFor?: string;
  status?: 'active' | 'retired' | 'all';
  where?: string;
  limit?: number;
}

const PAGE_SIZE = 500;

/** Lists devices matching the filters, fetching pages only as output consumes them. */
export const handler: Handler<ListDevicesOptions> = async (opts, { client, clock }) => {
  if (opts.where !== undefined) checkSelector(opts.where);
  const fleet = await client();
  const now = clock().getTime();
  const ago = (text: string) => new Date(now - parseDuration(text)! * 1000).toISOString();
  const query: DeviceListQuery = {
    status: opts.status,
    os: opts.os,
    group: opts.group,
    label: opts.label,
    model: opts.model,
    mode: opts.mode,
    lastSeenAfter: opts.seenWithin && ago(opts.seenWithin),
    lastSeenBefore: opts.notSeenFor && ago(opts.notSeenFor),
    where: opts.where,
    limit: Math.min(opts.limit ?? PAGE_SIZE, PAGE_SIZE),
  };
  return list(take(fleet.devices.list(query), opts.limit), deviceListColumns, {
    emptyMessage: 'no devices match',
  });
};

/** A selector that does not parse is a usage error, found before any request is sent. */
export function checkSelector(where: string): void {
  try {
    parseSelector(where);
  } catch (error) {
    if (error instanceof SelectorError) {
      throw new UsageError(`--where: ${error.message}`, 'see docs/selectors.md for fields and operators');
    }
    throw error;
  }
}

/** The first `limit` items (all of them without a limit), read only as far as needed. */
export async function* take<T>(items: AsyncIterable<T>, limit = Number.POSITIVE_INFINITY): AsyncGenerator<T> {
  if (limit <= 0) return;
  let count = 0;
  for await (const item of items) {
    yield item;
    if (++count >= limit) return;
  }
}
