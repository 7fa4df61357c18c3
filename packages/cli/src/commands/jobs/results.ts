import type { JobDeviceStatus } from '@fleetops/sdk';
import type { Handler } from '../../command';
import { list } from '../../output/view';
import { notFoundAs } from '../../sdk-errors';
import { requireId } from '../ids';
import { jobResultColumns } from './columns';

/** Options of `jobs results`. */
export interface JobResultsOptions {
  id: string;
  status?: JobDeviceStatus;
}

const PAGE_SIZE = 1000;

/** Streams each device's outcome in a job, page by page, in device order. */
export const handler: Handler<JobResultsOptions> = async (opts, { client }) => {
  requireId(opts.id, 'job');
  const fleet = await client();
  const results = fleet.jobs.results(opts.id, { status: opts.status, limit: PAGE_SIZE });
  // The first page answers whether the job exists, before any output starts.
  await results.catch(notFoundAs(`job ${opts.id}`));
  return list(results, jobResultColumns, { emptyMessage: 'no devices match' });
};
