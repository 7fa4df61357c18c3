import type {
  CreateJobRequest,
  Job,
  JobListQuery,
  JobPreview,
  JobResult,
  JobResultsQuery,
  JobStatus,
  PageOf,
  PreviewJobRequest,
} from '@fleetops/protocol';
import type { z } from 'zod';
import { ApiError, notFound } from '../../errors';
import { decodeCursor, toPage } from '../../store/cursor';
import { type Db, one, type Queryable } from '../../store/db';
import { OPEN_STATUSES } from './eligibility';
import { type CreateOptions, createJob, type JobActor, previewJob, type SafetySettings } from './fan-out';
import { currentStatus, type JobRow, type ResultRow, tallyJobs, toJob, toResult } from './rows';

export type { CreateOptions, JobActor, SafetySettings } from './fan-out';

/** The stored statuses of jobs that may be in each status now: stored ones lag behind time. */
const MAY_NOW_BE: Record<JobStatus, JobStatus[]> = {
  awaiting_approval: ['awaiting_approval'],
  scheduled: ['scheduled'],
  running: ['running', 'scheduled'],
  completed: ['completed', 'running', 'scheduled'],
  canceled: ['canceled'],
  expired: ['expired', 'awaiting_approval'],
};

/** Jobs that a sweep moved on: those whose devices should be woken now. */
export interface SweepOutcome {
  started: string[];
}

export function createJobsRepository(
  db: Db,
  settingsOf: (q: Queryable, orgId: string) => Promise<SafetySettings>,
) {
  const load = async (q: Queryable, orgId: string, id: string): Promise<JobRow> => {
    const row = await one<JobRow>(q, 'SELECT * FROM jobs WHERE org_id = $1 AND id = $2', [orgId, id]);
    if (!row) throw notFound('job', id);
    return row;
  };

  /** The jobs as they stand now; one whose devices are all done is written completed. */
  const present = async (q: Queryable, rows: JobRow[]): Promise<Job[]> => {
    const tallies = await tallyJobs(
      q,
      rows.map((row) => row.id),
    );
    const jobs = rows.map((row) => toJob(row, tallies.get(row.id)!));
    const settled = jobs.filter((job, i) => job.status !== rows[i]!.status && job.status === 'completed');
    if (settled.length > 0) {
      await q.query(
        `UPDATE jobs SET status = 'completed', completed_at = j.completed_at::timestamptz
         FROM unnest($1::uuid[], $2::text[]) AS j(id, completed_at)
         WHERE jobs.id = j.id AND jobs.status IN ('running', 'scheduled')`,
        [settled.map((job) => job.id), settled.map((job) => job.completedAt)],
      );
    }
    return jobs;
  };

  const get = async (q: Queryable, orgId: string, id: string): Promise<Job> =>
    (await present(q, [await load(q, orgId, id)]))[0]!;

  return {
    async preview(orgId: string, request: z.output<typeof PreviewJobRequest>): Promise<JobPreview> {
      return previewJob(db, orgId, await settingsOf(db, orgId), request);
    },

    /**
     * Creates a job, or returns the one an earlier request with the same idempotency key
     * created: a client re-running after a crash attaches to its job instead of sending twice.
     */
    async create(
      orgId: string,
      actor: JobActor,
      request: z.output<typeof CreateJobRequest>,
      idempotencyKey?: string,
      options?: CreateOptions,
    ): Promise<Job> {
      if (idempotencyKey) {
        const existing = await one<JobRow>(
          db,
          'SELECT * FROM jobs WHERE org_id = $1 AND idempotency_key = $2',
          [orgId, idempotencyKey],
        );
        if (existing) return (await present(db, [existing]))[0]!;
      }
      return db.transaction(async (tx) => {
        const id = await createJob(
          tx,
          orgId,
          actor,
          await settingsOf(tx, orgId),
          request,
          idempotencyKey,
          options,
        );
        return get(tx, orgId, id);
      });
    },

    get: (orgId: string, id: string) => get(db, orgId, id),

    /** The org's jobs, newest first. */
    async list(orgId: string, query: z.output<typeof JobListQuery>): Promise<PageOf<Job>> {
      const rows = await db.query<JobRow>(
        `SELECT * FROM jobs WHERE org_id = $1 AND ($2::uuid IS NULL OR id < $2)
           AND ($3::text IS NULL OR type = $3) AND ($4::text[] IS NULL OR status = ANY($4::text[]))
         ORDER BY id DESC LIMIT $5`,
        [
          orgId,
          decodeCursor(query.cursor) ?? null,
          query.type ?? null,
          query.status ? MAY_NOW_BE[query.status] : null,
          query.limit + 1,
        ],
      );
      const page = toPage(rows, query.limit, (row) => row);
      const jobs = await present(db, page.data);
      return {
        data: query.status ? jobs.filter((job) => job.status === query.status) : jobs,
        nextCursor: page.nextCursor,
      };
    },

    /** Each device's outcome, in device order (command ids follow it). */
    async results(
      orgId: string,
      id: string,
      query: z.output<typeof JobResultsQuery>,
    ): Promise<PageOf<JobResult>> {
      await load(db, orgId, id);
      const rows = await db.query<ResultRow>(
        `SELECT * FROM (
           SELECT c.id, c.device_id, d.serial, c.error, c.source_line, c.result, c.delivered_at, c.completed_at,
             CASE WHEN c.status IN ${OPEN_STATUSES} AND c.expires_at <= now() THEN 'expired' ELSE c.status END AS status
           FROM commands c JOIN devices d ON d.id = c.device_id
           WHERE c.job_id = $1 AND ($2::uuid IS NULL OR c.id > $2)) r
         WHERE $3::text IS NULL OR r.status = $3
         ORDER BY r.id LIMIT $4`,
        [id, decodeCursor(query.cursor) ?? null, query.status ?? null, query.limit + 1],
      );
      return toPage(rows, query.limit, toResult);
    },

    /** Cancels whatever of the job has not finished; a device told so does not run it. */
    async cancel(orgId: string, id: string, actor: JobActor): Promise<Job> {
      return db.transaction(async (tx) => {
        const row = await load(tx, orgId, id);
        const tally = (await tallyJobs(tx, [id])).get(id)!;
        const status = currentStatus(row, tally.counts);
        if (status === 'completed' || status === 'expired' || status === 'canceled') {
          throw new ApiError('conflict', `job ${id} is already ${status}: nothing left to cancel`);
        }
        await tx.query(
          `UPDATE commands SET status = 'canceled', completed_at = now(), error = $2
           WHERE job_id = $1 AND status IN ${OPEN_STATUSES}`,
          [id, `job canceled by ${actor.name}`],
        );
        await tx.query(
          `UPDATE jobs SET status = 'canceled', canceled_by = $2, canceled_at = now() WHERE id = $1`,
          [id, actor.name],
        );
        return get(tx, orgId, id);
      });
    },

    /** Lets a job awaiting approval run: its frozen device list, nothing more. */
    async approve(orgId: string, id: string, actor: JobActor): Promise<Job> {
      return db.transaction(async (tx) => {
        const row = await one<JobRow>(tx, 'SELECT * FROM jobs WHERE org_id = $1 AND id = $2 FOR UPDATE', [
          orgId,
          id,
        ]);
        if (!row) throw notFound('job', id);
        const status = currentStatus(row, (await tallyJobs(tx, [id])).get(id)!.counts);
        if (status !== 'awaiting_approval') {
          throw new ApiError('conflict', `job ${id} is ${status}, not awaiting approval`);
        }
        if (row.created_by_token === actor.tokenId) {
          throw new ApiError('forbidden', 'you created this job: another admin must approve it');
        }
        await tx.query(
          `UPDATE jobs SET status = CASE WHEN not_before > now() THEN 'scheduled' ELSE 'running' END,
             approved_by = $2, approved_at = now()
           WHERE id = $1`,
          [id, actor.name],
        );
        // Each command's time to live starts when it may be delivered.
        await tx.query(
          `UPDATE commands SET expires_at = greatest(now(), $2::timestamptz) + make_interval(secs => $3)
           WHERE job_id = $1 AND status = 'queued'`,
          [id, row.not_before, row.ttl_seconds],
        );
        return get(tx, orgId, id);
      });
    },

    /**
     * Moves jobs on with time: unapproved ones past their window expire with nothing delivered,
     * delayed ones whose time came start, and commands waiting on an earlier command that did
     * not succeed are canceled. Returns the jobs that started.
     */
    async sweep(): Promise<SweepOutcome> {
      const expired = await db.query<{ id: string }>(
        `UPDATE jobs SET status = 'expired', completed_at = now()
         WHERE status = 'awaiting_approval' AND approval_expires_at <= now() RETURNING id`,
      );
      if (expired.length > 0) {
        await db.query(
          `UPDATE commands SET status = 'expired', completed_at = now(), error = 'not approved in time'
           WHERE job_id = ANY($1::uuid[]) AND status IN ${OPEN_STATUSES}`,
          [expired.map((job) => job.id)],
        );
      }
      const started = await db.query<{ id: string }>(
        `UPDATE jobs SET status = 'running' WHERE status = 'scheduled' AND not_before <= now() RETURNING id`,
      );
      await db.query(
        `UPDATE commands c SET status = 'canceled', completed_at = now(),
           error = 'the command it waited for (' || p.id || ') ' || p.status
         FROM commands p
         WHERE c.after_command_id = p.id AND c.status = 'queued' AND p.status IN ('failed', 'expired', 'canceled')`,
      );
      return { started: started.map((job) => job.id) };
    },
  };
}
export type JobsRepository = ReturnType<typeof createJobsRepository>;
