import type { Handler } from '../../command';
import { notFoundAs } from '../../sdk-errors';
import { requireId } from '../ids';
import { followJob } from './follow';

/** Options of `jobs wait`. */
export interface JobWaitOptions {
  id: string;
  timeout: string;
}

/** Reattaches to any job and follows it to its final status (see {@link followJob} for exit codes). */
export const handler: Handler<JobWaitOptions> = async (opts, { client, io }) => {
  requireId(opts.id, 'job');
  const fleet = await client();
  const job = await fleet.jobs.retrieve(opts.id).catch(notFoundAs(`job ${opts.id}`));
  return followJob(fleet, io, job, { timeout: opts.timeout });
};
