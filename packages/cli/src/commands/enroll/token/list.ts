import type { Handler } from '../../../command';
import { list } from '../../../output/view';
import { enrollmentTokenColumns } from './columns';

/** Lists enrollment tokens. */
export const handler: Handler<object> = async (_opts, { client }) =>
  list((await client()).enrollmentTokens.list(), enrollmentTokenColumns, {
    emptyMessage: 'no enrollment tokens',
  });
