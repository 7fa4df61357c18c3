import type { Handler } from '../../command';
import { list } from '../../output/view';
import { revisionColumns } from './columns';

const PAGE_SIZE = 200;

/** The changes of the policy set, newest first: who, when, what, and from which commit. */
export const handler: Handler<{ limit?: number }> = async (opts, { client }) => {
  const revisions = (await client()).policies.revisions({
    limit: Math.min(opts.limit ?? PAGE_SIZE, PAGE_SIZE),
  });
  const items = opts.limit === undefined ? revisions : take(revisions, opts.limit);
  return list(items, revisionColumns, { emptyMessage: 'no revisions yet: nothing was ever applied' });
};

async function* take<T>(items: AsyncIterable<T>, count: number): AsyncGenerator<T> {
  let taken = 0;
  for await (const item of items) {
    if (taken++ >= count) return;
    yield item;
  }
}
