import type { Handler } from '../../command';
import { list } from '../../output/view';
import { apiTokenColumns } from './columns';

/** Lists the org's API tokens (never their secrets). */
export const handler: Handler<object> = async (_opts, { client }) =>
  list((await client()).tokens.list(), apiTokenColumns, { emptyMessage: 'no API tokens' });
