import type { Handler } from '../../command';
import { record } from '../../output/view';
import { notFoundAs } from '../../sdk-errors';
import { requireId } from '../ids';
import { apiTokenColumns } from './columns';

/** Revokes an API token: it stops working at once. */
export const handler: Handler<{ id: string }> = async ({ id }, { client, io }) => {
  requireId(id, 'token');
  const token = await (await client()).tokens.revoke(id).catch(notFoundAs(`token ${id}`));
  io.info(`revoked token ${id}`);
  return record(token, apiTokenColumns);
};
