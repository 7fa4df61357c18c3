import type { Handler } from '../../command';
import { record } from '../../output/view';
import { notFoundAs } from '../../sdk-errors';
import { requireId } from '../ids';
import { jobColumns } from './columns';
import { tally } from './progress';

/** Cancels what a job has not finished yet; devices that already carried it out stay as they are. */
export const handler: Handler<{ id: string }> = async ({ id }, { client, io }) => {
  requireId(id, 'job');
  const job = await (await client()).jobs.cancel(id).catch(notFoundAs(`job ${id}`));
  io.info(`job ${id} is ${job.status}; ${tally(job.counts).succeeded} device(s) had already succeeded`);
  return record(job, jobColumns);
};
