import type { Handler } from '../../command';
import { record } from '../../output/view';
import { notFoundAs } from '../../sdk-errors';
import { requireId } from '../ids';
import { jobColumns } from './columns';

/** Shows one job and its devices per status. */
export const handler: Handler<{ id: string }> = async ({ id }, { client }) => {
  requireId(id, 'job');
  const job = await (await client()).jobs.retrieve(id).catch(notFoundAs(`job ${id}`));
  return record(job, jobColumns);
};
