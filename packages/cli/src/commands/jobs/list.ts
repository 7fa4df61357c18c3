import type { CommandType } from '@fleetops/protocol';
import type { JobStatus } from '@fleetops/sdk';
import type { Handler } from '../../command';
import { list } from '../../output/view';
import { jobListColumns } from './columns';

/** Options of `jobs list`. */
export interface ListJobsOptions {
  status?: JobStatus;
  type?: CommandType;
}

const PAGE_SIZE = 500;

/** Lists jobs, newest first, fetching pages only as output consumes them. */
export const handler: Handler<ListJobsOptions> = async (opts, { client }) => {
  const jobs = (await client()).jobs.list({ status: opts.status, type: opts.type, limit: PAGE_SIZE });
  return list(jobs, jobListColumns, { emptyMessage: 'no jobs match' });
};
