import type { FleetClient, Job } from '@fleetops/sdk';
import { describe, expect, it } from 'vitest';
import { followJob } from '../src/commands/jobs/follow';
import { CliError } from '../src/errors';
import { createIO } from '../src/io';
import { JOB_ID, jobOf } from './jobs-fixtures';
import { memoryStreams } from './memory-io';

/** A client whose `jobs.watch` yields `snapshots`, then waits until aborted when `endless`. */
function fleetWatching(snapshots: Job[], endless = false): FleetClient {
  async function* watch(_id: string, { signal }: { signal?: AbortSignal } = {}) {
    yield* snapshots;
    if (endless) await new Promise((_, reject) => signal?.addEventListener('abort', reject));
  }
  return { jobs: { watch } } as unknown as FleetClient;
}

function follow(fleet: FleetClient, job: Job, timeout = '60s') {
  const { streams, stderr } = memoryStreams();
  return { result: followJob(fleet, createIO(streams), job, { timeout }), stderr };
}

describe('followJob, without a terminal', () => {
  it('follows a running job to its end: a line per change, exit 0, the final job as the result', async () => {
    const running = jobOf({ queued: 2 });
    const done = jobOf({ succeeded: 2 }, { status: 'completed' });
    const { result, stderr } = follow(fleetWatching([running, done]), running);
    const followed = await result;
    expect(followed).toMatchObject({ kind: 'record', item: done });
    expect(followed.exitCode ?? 0).toBe(0);
    expect(stderr.text).toBe(
      `job ${JOB_ID} running: 0/2 succeeded, 0 failed, 2 pending\n` +
        `job ${JOB_ID} completed: 2/2 succeeded, 0 failed, 0 pending\n`,
    );
  });

  it('exits 0 when the only devices that did not run it were skipped, and says how many', async () => {
    const done = jobOf({ succeeded: 3, skipped: 2 }, { status: 'completed' });
    const { result, stderr } = follow(fleetWatching([]), done);
    expect((await result).exitCode ?? 0).toBe(0);
    expect(stderr.text).toContain(
      `2 device(s) skipped, not counted as failures: fleetops jobs results ${JOB_ID} --status skipped`,
    );
  });

  it.each([
    ['failed', jobOf({ succeeded: 3, failed: 1 }, { status: 'completed' })],
    ['expired', jobOf({ succeeded: 3, expired: 1 }, { status: 'completed' })],
    ['canceled', jobOf({ succeeded: 1, canceled: 3 }, { status: 'canceled' })],
  ])('exits 3 when some devices %s, naming how to list them', async (status, job) => {
    const { result, stderr } = follow(fleetWatching([]), job);
    expect((await result).exitCode).toBe(3);
    expect(stderr.text).toContain(`warning: job ${JOB_ID} ${job.status}:`);
    expect(stderr.text).toContain(`fleetops jobs results ${JOB_ID} --status ${status}`);
  });

  it('does not wait on a job awaiting approval: exit 6, and who may approve it', async () => {
    const awaiting = jobOf({ queued: 5 }, { status: 'awaiting_approval', requiresApproval: true });
    const { result, stderr } = follow(fleetWatching([], true), awaiting);
    expect((await result).exitCode).toBe(6);
    expect(stderr.text).toContain(`job ${JOB_ID} awaits approval by an admin other than ci-deploy`);
    expect(stderr.text).toContain(`fleetops jobs approve ${JOB_ID}`);
  });

  it('gives up after the timeout: exit 7, saying the job continues and how to reattach', async () => {
    const running = jobOf({ succeeded: 1, queued: 1 });
    const { result } = follow(fleetWatching([running], true), running, '1s');
    const error = await result.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CliError);
    expect(error).toMatchObject({
      exitCode: 7,
      message: `timed out after 1s waiting for job ${JOB_ID}, still running: 1/2 succeeded, 0 failed, 1 pending`,
      hint: `the job continues on the server; reattach with: fleetops jobs wait ${JOB_ID}`,
    });
  });
});
