import { FINAL_JOB_STATUSES, parseDuration } from '@fleetops/protocol';
import type { FleetClient, Job } from '@fleetops/sdk';
import { CliError, ExitCode } from '../../errors';
import type { IO } from '../../io';
import { type CommandResult, record } from '../../output/view';
import { signalExitCode, watchUntil } from '../../watch-until';
import { jobColumns } from './columns';
import { openJobDisplay } from './display';
import { countsSummary, progressLine, tally, unsuccessful } from './progress';

/**
 * Follows a job to a final status, at most `timeout` (`90s`, `10m`…), showing its progress
 * on stderr, and returns the final job. Exits 0 when every device that ran the command
 * succeeded (skipped ones aside), 3 when some failed, expired or were canceled, 6 at once for
 * a job awaiting approval, 7 when the wait timed out; Ctrl-C stops following. The job
 * continues on the server in every case, and `fleetops jobs wait` reattaches to it.
 */
export async function followJob(
  fleet: FleetClient,
  io: IO,
  job: Job,
  options: { timeout: string },
): Promise<CommandResult> {
  if (job.status === 'awaiting_approval') return awaitingApproval(io, job);
  if (FINAL_JOB_STATUSES.includes(job.status)) {
    io.info(progressLine(job));
    return outcome(io, job);
  }
  const ending = await watchUntil(
    job,
    (signal) => fleet.jobs.watch(job.id, { signal }),
    await openJobDisplay(fleet, io, job),
    parseDuration(options.timeout)! * 1000,
  );
  switch (ending.kind) {
    case 'ended':
      return outcome(io, ending.last);
    case 'timedOut':
      throw new CliError(
        `timed out after ${options.timeout} waiting for job ${job.id}, still ${ending.last.status}: ` +
          countsSummary(tally(ending.last.counts)),
        ExitCode.timedOut,
        `the job continues on the server; ${reattachHint(job.id)}`,
      );
    case 'stopped':
      io.warn(`stopped following job ${job.id} (${ending.signal}); the job continues on the server`);
      io.info(reattachHint(job.id));
      return { kind: 'none', exitCode: signalExitCode(ending.signal) };
  }
}

/** How to see a job through later. */
const reattachHint = (id: string) => `reattach with: fleetops jobs wait ${id}`;

/** The final job, and an exit code that says whether every device succeeded. */
function outcome(io: IO, job: Job): CommandResult {
  const t = tally(job.counts);
  if (t.skipped > 0) {
    io.info(
      `${t.skipped} device(s) skipped, not counted as failures: fleetops jobs results ${job.id} --status skipped`,
    );
  }
  const failures = unsuccessful(t);
  if (job.status === 'completed' && failures === 0) return record(job, jobColumns);
  io.warn(
    `job ${job.id} ${job.status}: ${failures} of ${t.total} device(s) did not succeed (${countsSummary(t)})`,
  );
  const worst = (['failed', 'expired', 'canceled'] as const).find((status) => t[status] > 0);
  if (worst) io.info(`see which: fleetops jobs results ${job.id} --status ${worst}`);
  return record(job, jobColumns, { exitCode: ExitCode.partialFailure });
}

/** A job awaiting approval is not waited for: someone else has to act first. */
function awaitingApproval(io: IO, job: Job): CommandResult {
  const until = job.approvalExpiresAt ? ` before ${job.approvalExpiresAt}, else it expires` : '';
  io.warn(`job ${job.id} awaits approval by an admin other than ${job.createdBy}${until}`);
  io.info(`to approve it: fleetops jobs approve ${job.id} (with another admin's token)`);
  return record(job, jobColumns, { exitCode: ExitCode.awaitingApproval });
}
