import {
  type Job,
  type JobCounts,
  JobDeviceStatus,
  type JobResult,
  type JobStatus,
  type UnresolvedTarget,
} from '@fleetops/protocol';
import type { Queryable } from '../../store/db';
import { iso, isoOrNull } from '../../store/time';
import { OPEN_STATUSES } from './eligibility';

export interface JobRow {
  id: string;
  org_id: string;
  type: Job['type'];
  params: Record<string, unknown>;
  status: JobStatus;
  reason: string | null;
  selector: string | null;
  target_count: number;
  unresolved: UnresolvedTarget[];
  ttl_seconds: number;
  created_by: string;
  created_by_token: string;
  created_at: Date;
  requires_approval: boolean;
  approval_expires_at: Date | null;
  approved_by: string | null;
  approved_at: Date | null;
  not_before: Date | null;
  after_job_id: string | null;
  canceled_by: string | null;
  canceled_at: Date | null;
  completed_at: Date | null;
}

/** A job's devices per status, and when the last of them finished. */
export interface JobTally {
  counts: JobCounts;
  lastCompletedAt: Date | null;
}

const emptyCounts = (): JobCounts =>
  Object.fromEntries(JobDeviceStatus.options.map((status) => [status, 0])) as JobCounts;

/** Counts the devices of each job per status, a command past its expiry counted as expired. */
export async function tallyJobs(q: Queryable, jobIds: string[]): Promise<Map<string, JobTally>> {
  const rows = await q.query<{ job_id: string; status: JobDeviceStatus; n: number; last: Date | null }>(
    `SELECT job_id,
       CASE WHEN status IN ${OPEN_STATUSES} AND expires_at <= now() THEN 'expired' ELSE status END AS status,
       count(*)::int AS n, max(completed_at) AS last
     FROM commands WHERE job_id = ANY($1::uuid[]) GROUP BY 1, 2`,
    [jobIds],
  );
  const tallies = new Map(
    jobIds.map((id) => [id, { counts: emptyCounts(), lastCompletedAt: null } as JobTally]),
  );
  for (const row of rows) {
    const tally = tallies.get(row.job_id)!;
    tally.counts[row.status] = row.n;
    if (row.last && (!tally.lastCompletedAt || row.last > tally.lastCompletedAt))
      tally.lastCompletedAt = row.last;
  }
  return tallies;
}

const openCount = (counts: JobCounts) => counts.queued + counts.delivered + counts.acknowledged;

/** The job's status now: the stored one, moved on by time and by its devices' outcomes. */
export function currentStatus(row: JobRow, counts: JobCounts, now = new Date()): JobStatus {
  if (row.status === 'awaiting_approval' && row.approval_expires_at && row.approval_expires_at <= now) {
    return 'expired';
  }
  let status = row.status;
  if (status === 'scheduled' && (!row.not_before || row.not_before <= now)) status = 'running';
  if (status === 'running' && openCount(counts) === 0) status = 'completed';
  return status;
}

export function toJob(row: JobRow, tally: JobTally): Job {
  const status = currentStatus(row, tally.counts);
  const completedAt =
    row.completed_at ?? (status === 'completed' ? (tally.lastCompletedAt ?? row.created_at) : null);
  return {
    id: row.id,
    type: row.type,
    params: row.params,
    status,
    reason: row.reason,
    selector: row.selector,
    targetCount: row.target_count,
    counts: tally.counts,
    unresolved: row.unresolved,
    createdBy: row.created_by,
    createdAt: iso(row.created_at),
    requiresApproval: row.requires_approval,
    approvedBy: row.approved_by,
    approvedAt: isoOrNull(row.approved_at),
    approvalExpiresAt: isoOrNull(row.approval_expires_at),
    notBefore: isoOrNull(row.not_before),
    afterJobId: row.after_job_id,
    canceledBy: row.canceled_by,
    canceledAt: isoOrNull(row.canceled_at),
    completedAt: isoOrNull(completedAt),
    ttlSeconds: row.ttl_seconds,
  };
}

export interface ResultRow {
  device_id: string;
  id: string;
  serial: string | null;
  status: JobDeviceStatus;
  error: string | null;
  source_line: number | null;
  result: Record<string, unknown> | null;
  delivered_at: Date | null;
  completed_at: Date | null;
}

export const toResult = (row: ResultRow): JobResult => ({
  deviceId: row.device_id,
  commandId: row.id,
  serial: row.serial,
  status: row.status,
  error: row.error,
  line: row.source_line,
  result: row.result,
  deliveredAt: isoOrNull(row.delivered_at),
  completedAt: isoOrNull(row.completed_at),
});
