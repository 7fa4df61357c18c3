import { FleetPermissionError } from '@fleetops/sdk';
import type { Handler } from '../../command';
import { CliError, ExitCode } from '../../errors';
import { record } from '../../output/view';
import { notFoundAs } from '../../sdk-errors';
import { requireId } from '../ids';
import { jobColumns } from './columns';

/** Approves a job awaiting approval; its creator cannot, another admin must. */
export const handler: Handler<{ id: string }> = async ({ id }, { client, io }) => {
  requireId(id, 'job');
  const job = await (await client()).jobs
    .approve(id)
    .catch(notFoundAs(`job ${id}`))
    .catch(refusedAsOwnJob);
  io.info(`job ${id} approved: it is ${job.status}; follow it with: fleetops jobs wait ${id}`);
  return record(job, jobColumns);
};

/**
 * A 403 that names no missing role is the server refusing the job's own creator: the token
 * is an admin's, so the role hint the CLI gives for other 403s would mislead.
 */
function refusedAsOwnJob(error: unknown): never {
  if (error instanceof FleetPermissionError && error.details?.requiredRole === undefined) {
    throw new CliError(
      'you created this job: another admin must approve it',
      ExitCode.error,
      undefined,
      error,
    );
  }
  throw error;
}
