import {
  adminRoutes,
  type CreateJobRequest,
  FINAL_JOB_STATUSES,
  type Job,
  type JobCounts,
  JobDeviceStatus,
  type JobPreview,
  type JobResult,
  type PreviewJobRequest,
} from '@fleetops/protocol';
import { FleetTimeoutError } from '../core/errors';
import type { PagePromise } from '../core/pagination';
import { APIResource } from '../core/resource';
import type { RouteQuery } from '../core/route-types';
import type { RequestOptions } from '../core/transport';
import { path } from '../internal/path';
import { sleep } from '../internal/sleep';

/** The filters of `jobs.list()` (`status`, `type`), plus `limit` and `cursor`. */
export type JobListQuery = RouteQuery<typeof adminRoutes.listJobs>;
/** The query of `jobs.results()`: `status` (one device outcome), `limit` and `cursor`. */
export type JobResultsQuery = RouteQuery<typeof adminRoutes.listJobResults>;

/** How `jobs.watch()` polls. */
export interface JobWatchOptions {
  /** Time between two polls, in milliseconds; default 1000. */
  intervalMs?: number;
  /** Stops watching; the loop then rejects with `FleetAbortError`. */
  signal?: AbortSignal;
}

/** How `jobs.wait()` polls. */
export interface JobWaitOptions extends JobWatchOptions {
  /** Give up after this long, in milliseconds; default 600000 (10 minutes). `Infinity` waits for good. */
  timeoutMs?: number;
  /** Called with the first snapshot of the job and with each one that changed since. */
  onProgress?: (job: Job) => void;
}

const DEFAULT_WAIT_TIMEOUT_MS = 10 * 60_000;
const DEFAULT_POLL_INTERVAL_MS = 1000;

/** Jobs: one command sent to many devices at once, with guards, approval and per-device results. */
export class Jobs extends APIResource {
  /**
   * Creates a job: one command for each target device. Refused with `FleetBadRequestError`
   * (code `guard_refused`, the reasons in `details`) when a guard fails or a target is unresolved.
   * Needs an `operator` token, `admin` for wipe and retire.
   *
   * Pass `idempotencyKey` to make the call repeatable: the same key returns the same job, so a
   * run that crashed after sending can attach to its job by sending again with the same key.
   */
  async create(body: CreateJobRequest, options?: RequestOptions): Promise<Job> {
    return this._client.request(adminRoutes.createJob, { path: '/v1/jobs', body }, options);
  }

  /** What a job would do (devices targeted, eligible, skipped and why, unresolved); creates nothing. */
  async preview(body: PreviewJobRequest, options?: RequestOptions): Promise<JobPreview> {
    return this._client.request(adminRoutes.previewJob, { path: '/v1/jobs/preview', body }, options);
  }

  /** Lists jobs, newest first; iterate the answer to walk every page. */
  list(query?: JobListQuery, options?: RequestOptions): PagePromise<Job> {
    return this._client.requestPage(adminRoutes.listJobs, { path: '/v1/jobs', query }, options);
  }

  /** Gets one job with its device counts per status. */
  async retrieve(id: string, options?: RequestOptions): Promise<Job> {
    return this._client.request(adminRoutes.getJob, { path: path`/v1/jobs/${id}` }, options);
  }

  /** Each device's outcome in a job, in device order; iterate the answer to walk every page. */
  results(id: string, query?: JobResultsQuery, options?: RequestOptions): PagePromise<JobResult> {
    return this._client.requestPage(
      adminRoutes.listJobResults,
      { path: path`/v1/jobs/${id}/results`, query },
      options,
    );
  }

  /** Cancels what a job has not finished yet. Needs an `operator` token. */
  async cancel(id: string, options?: RequestOptions): Promise<Job> {
    return this._client.request(adminRoutes.cancelJob, { path: path`/v1/jobs/${id}/cancel` }, options);
  }

  /** Approves a job awaiting approval. Needs an `admin` token other than the job creator's. */
  async approve(id: string, options?: RequestOptions): Promise<Job> {
    return this._client.request(adminRoutes.approveJob, { path: path`/v1/jobs/${id}/approve` }, options);
  }

  /**
   * Polls a job until its status is final (completed, canceled or expired) and returns it;
   * rejects with `FleetTimeoutError`, naming the status and counts it is still at, when
   * `timeoutMs` passes first.
   */
  async wait(id: string, options: JobWaitOptions = {}): Promise<Job> {
    let latest: Job | undefined;
    for await (const job of this.#changes(id, options, options.timeoutMs ?? DEFAULT_WAIT_TIMEOUT_MS)) {
      latest = job;
      options.onProgress?.(job);
    }
    return latest!;
  }

  /**
   * Yields the job at once, then again each time its status, counts, approval, cancellation or
   * completion changed, and ends after yielding it in a final status. Breaking out of the loop
   * stops the polling.
   *
   * ```ts
   * for await (const job of client.jobs.watch(id)) console.log(job.status, job.counts.succeeded);
   * ```
   */
  watch(id: string, options: JobWatchOptions = {}): AsyncIterableIterator<Job> {
    return this.#changes(id, options, Number.POSITIVE_INFINITY);
  }

  async *#changes(
    id: string,
    options: JobWatchOptions,
    timeoutMs: number,
  ): AsyncGenerator<Job, void, undefined> {
    const intervalMs = options.intervalMs ?? DEFAULT_POLL_INTERVAL_MS;
    const deadline = Date.now() + timeoutMs;
    let previous: Job | undefined;
    for (let polls = 1; ; polls++) {
      const job = await this.retrieve(id, {
        signal: options.signal,
        timeoutMs: Math.min(this._client.timeoutMs, Math.max(1, deadline - Date.now())),
      });
      if (previous === undefined || hasChanged(previous, job)) yield job;
      if (FINAL_JOB_STATUSES.includes(job.status)) return;
      previous = job;
      const remaining = deadline - Date.now();
      if (remaining <= 0) {
        throw new FleetTimeoutError(
          `job ${id} is still ${job.status} (${describeCounts(job.counts)}) after ${timeoutMs} ms`,
          { attempts: polls },
        );
      }
      await sleep(Math.min(intervalMs, remaining), options.signal);
    }
  }
}

/** Whether a watcher would see a difference: status, counts, approval, cancellation, completion. */
function hasChanged(previous: Job, next: Job): boolean {
  return (
    previous.status !== next.status ||
    previous.approvedAt !== next.approvedAt ||
    previous.canceledAt !== next.canceledAt ||
    previous.completedAt !== next.completedAt ||
    JobDeviceStatus.options.some((status) => previous.counts[status] !== next.counts[status])
  );
}

/** The non-zero counts, e.g. `3 queued, 12 succeeded`. */
function describeCounts(counts: JobCounts): string {
  const parts = JobDeviceStatus.options.filter((status) => counts[status]).map((s) => `${counts[s]} ${s}`);
  return parts.join(', ') || 'no devices';
}
