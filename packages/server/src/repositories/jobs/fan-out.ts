import {
  APPROVAL_WINDOW_SECONDS,
  type CreateJobRequest,
  type JobPreview,
  type PreviewDevice,
  type PreviewJobRequest,
  type SkipReason,
  URGENT_COMMANDS,
} from '@fleetops/protocol';
import type { z } from 'zod';
import { ApiError, notFound } from '../../errors';
import { one, type Queryable } from '../../store/db';
import { uuidv7 } from '../../store/ids';
import { iso } from '../../store/time';
import { eligibility, isDestructive } from './eligibility';
import { type TargetSource, targetSource } from './targets';

type CreateRequest = z.output<typeof CreateJobRequest>;
type PreviewRequest = z.output<typeof PreviewJobRequest>;

/** Who asks for a job: the API token's name and id. */
export interface JobActor {
  name: string;
  tokenId: string;
}

/** An org's safety settings as the fan-out applies them. */
export interface SafetySettings {
  approvalThreshold: number | null;
  destructiveBudgetPerHour: number | null;
}

/** How a job is created beyond what its request says. */
export interface CreateOptions {
  /**
   * The eligible devices of the whole destructive operation the job is one part of (several jobs
   * made at once), held against the approval threshold when more than the job's own.
   */
  approvalCount?: number;
}

/** A device offline this long gets a note in a preview: it runs the command when it comes back. */
const OFFLINE_NOTE_AFTER_MS = 24 * 3600 * 1000;

/** The targets of a job with its eligibility test, ready to select from. */
interface Plan {
  params: unknown[];
  source: TargetSource;
  /** `FROM` … yielding the target device `d` and its eligibility `e` (reason, message, after_id). */
  from: string;
}

async function plan(q: Queryable, orgId: string, request: CreateRequest | PreviewRequest): Promise<Plan> {
  if (request.afterJobId) {
    const earlier = await one(q, 'SELECT 1 FROM jobs WHERE org_id = $1 AND id = $2', [
      orgId,
      request.afterJobId,
    ]);
    if (!earlier) throw notFound('job', request.afterJobId);
  }
  const params: unknown[] = [orgId];
  const source = await targetSource(q, params, request.targets);
  const test = eligibility(request.type, request.afterJobId, params);
  const from = `${source.rows} d ${test.joins}
    CROSS JOIN LATERAL (SELECT ${test.reason} AS reason, ${test.message} AS message,
      ${test.afterCommandId} AS after_id) e`;
  return { params, source, from };
}

/** Refuses a job whose resolved size is not what the caller said it would be. */
function checkGuards(request: CreateRequest | PreviewRequest, targets: number): void {
  if (request.expectCount !== undefined && targets !== request.expectCount) {
    throw new ApiError(
      'guard_refused',
      `the targets resolve to ${targets} devices, not the ${request.expectCount} expected (expectCount)`,
      { targetCount: targets },
    );
  }
  if (request.maxTargets !== undefined && targets > request.maxTargets) {
    throw new ApiError(
      'guard_refused',
      `the targets resolve to ${targets} devices, more than the maximum of ${request.maxTargets} (maxTargets)`,
      { targetCount: targets },
    );
  }
}

/** A selector that matches the whole fleet is a likely mistake unless the caller says so. */
async function checkNotWholeFleet(
  q: Queryable,
  orgId: string,
  request: CreateRequest | PreviewRequest,
  targets: number,
) {
  if (!('where' in request.targets) || request.targets.all || targets === 0) return;
  const fleet = await one<{ n: number }>(
    q,
    "SELECT count(*)::int AS n FROM devices WHERE org_id = $1 AND status = 'active'",
    [orgId],
  );
  if (fleet && targets >= fleet.n) {
    throw new ApiError(
      'guard_refused',
      `the selector matches every active device (${targets}): to act on the whole fleet, send all: true (--all)`,
      { targetCount: targets },
    );
  }
}

/** Refuses destructive commands beyond the org's hourly budget: 429 while the window is full. */
export async function checkBudget(q: Queryable, orgId: string, budget: number | null, count: number) {
  if (budget === null || count === 0) return;
  if (count > budget) {
    throw new ApiError(
      'guard_refused',
      `this job would send ${count} destructive commands, more than the org's budget of ${budget} per hour: split it or raise destructiveBudgetPerHour`,
    );
  }
  const recent = `FROM commands WHERE org_id = $1 AND type IN ('wipe', 'retire') AND status <> 'skipped'
    AND created_at > now() - interval '1 hour'`;
  const used = (await one<{ n: number }>(q, `SELECT count(*)::int AS n ${recent}`, [orgId]))!.n;
  const excess = used + count - budget;
  if (excess <= 0) return;
  const freed = await one<{ seconds: number }>(
    q,
    `SELECT ceil(extract(epoch FROM created_at + interval '1 hour' - now()))::int AS seconds
     ${recent} ORDER BY created_at OFFSET $2 LIMIT 1`,
    [orgId, excess - 1],
  );
  const retryAfterSeconds = Math.max(1, freed?.seconds ?? 3600);
  throw new ApiError(
    'rate_limited',
    `the org's budget of ${budget} destructive commands per hour is used (${used} sent): this job of ${count} fits in ${retryAfterSeconds} s`,
    { retryAfterSeconds },
  );
}

function refuseUnresolved(source: TargetSource): void {
  const { unresolved } = source;
  if (unresolved.length === 0) return;
  const first = unresolved[0]!.message;
  const more = unresolved.length > 1 ? ` (and ${unresolved.length - 1} more)` : '';
  throw new ApiError('guard_refused', `${first}${more}: nothing was sent`, { unresolved });
}

/** What a job would do, without creating anything. */
export async function previewJob(
  q: Queryable,
  orgId: string,
  settings: SafetySettings,
  request: PreviewRequest,
): Promise<JobPreview> {
  const { params, source, from } = await plan(q, orgId, request);
  const byReason = await q.query<{ reason: SkipReason | null; n: number }>(
    `SELECT e.reason, count(*)::int AS n FROM ${from} GROUP BY 1`,
    params,
  );
  const sample = await q.query<{
    id: string;
    serial: string | null;
    model: string | null;
    os: PreviewDevice['os'];
    group_name: string;
    mode: PreviewDevice['mode'];
    last_seen_at: Date;
    line: number | null;
    reason: SkipReason | null;
    message: string | null;
  }>(
    `SELECT d.id, d.serial, d.model, d.os, d.group_name, d.mode, d.last_seen_at, d.line, e.reason, e.message
     FROM ${from} ORDER BY d.id LIMIT $${params.length + 1}`,
    [...params, request.sampleSize],
  );
  const skipped: Partial<Record<SkipReason, number>> = {};
  let targetCount = 0;
  let eligibleCount = 0;
  for (const { reason, n } of byReason) {
    targetCount += n;
    if (reason) skipped[reason] = n;
    else eligibleCount += n;
  }
  const now = Date.now();
  return {
    type: request.type,
    targetCount,
    eligibleCount,
    skipped,
    unresolved: source.unresolved,
    requiresApproval: needsApproval(request.type, settings, eligibleCount),
    refusal: await refusalOf(async () => {
      refuseUnresolved(source);
      checkGuards(request, targetCount);
      await checkNotWholeFleet(q, orgId, request, targetCount);
      if (isDestructive(request.type)) {
        await checkBudget(q, orgId, settings.destructiveBudgetPerHour, eligibleCount);
      }
    }),
    devices: sample.map((row) => {
      const offlineMs = now - row.last_seen_at.getTime();
      const note =
        offlineMs > OFFLINE_NOTE_AFTER_MS
          ? `offline for ${Math.floor(offlineMs / 86_400_000)} days: runs when it next checks in`
          : null;
      return {
        deviceId: row.id,
        serial: row.serial,
        model: row.model,
        os: row.os,
        group: row.group_name,
        mode: row.mode,
        lastSeenAt: iso(row.last_seen_at),
        line: row.line,
        eligible: row.reason === null,
        skipReason: row.reason,
        message: row.message ?? note,
      };
    }),
  };
}

/** The message of the refusal `checks` throw, or null when they pass. */
async function refusalOf(checks: () => Promise<void>): Promise<string | null> {
  try {
    await checks();
    return null;
  } catch (error) {
    if (error instanceof ApiError) return error.message;
    throw error;
  }
}

const needsApproval = (type: CreateRequest['type'], settings: SafetySettings, eligible: number) =>
  isDestructive(type) && settings.approvalThreshold !== null && eligible > settings.approvalThreshold;

/**
 * Creates a job and one command per target device in one INSERT … SELECT; devices that may not
 * run it get a `skipped` row with the reason. Runs in the caller's transaction: a guard that
 * fails after the fan-out rolls all of it back. Returns the new job's id.
 */
export async function createJob(
  tx: Queryable,
  orgId: string,
  actor: JobActor,
  settings: SafetySettings,
  request: CreateRequest,
  idempotencyKey: string | undefined,
  options: CreateOptions = {},
): Promise<string> {
  const destructive = isDestructive(request.type);
  // Destructive jobs of one org are created one at a time, so budgets and pending checks hold.
  if (destructive) await tx.query('SELECT pg_advisory_xact_lock(7412002, hashtext($1))', [orgId]);
  const { params, source, from } = await plan(tx, orgId, request);
  refuseUnresolved(source);

  let requiresApproval = false;
  if (destructive) {
    const counted = (await one<{ targets: number; eligible: number }>(
      tx,
      `SELECT count(*)::int AS targets, count(*) FILTER (WHERE e.reason IS NULL)::int AS eligible FROM ${from}`,
      params,
    ))!;
    checkGuards(request, counted.targets);
    await checkBudget(tx, orgId, settings.destructiveBudgetPerHour, counted.eligible);
    requiresApproval = needsApproval(
      request.type,
      settings,
      Math.max(counted.eligible, options.approvalCount ?? 0),
    );
  }

  const jobId = uuidv7();
  const delay = request.delaySeconds ?? 0;
  const status = requiresApproval ? 'awaiting_approval' : delay > 0 ? 'scheduled' : 'running';
  await tx.query(
    `INSERT INTO jobs (id, org_id, type, params, status, reason, selector, ttl_seconds, created_by,
       created_by_token, requires_approval, approval_expires_at, not_before, after_job_id, idempotency_key)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11,
       CASE WHEN $11 THEN now() + make_interval(secs => $12) END,
       CASE WHEN $13 > 0 THEN now() + make_interval(secs => $13) END, $14, $15)`,
    [
      jobId,
      orgId,
      request.type,
      request.params,
      status,
      request.reason ?? null,
      source.selector,
      request.ttlSeconds,
      actor.name,
      actor.tokenId,
      requiresApproval,
      APPROVAL_WINDOW_SECONDS,
      delay,
      request.afterJobId ?? null,
      idempotencyKey ?? null,
    ],
  );

  // Command ids share the job's time-ordered prefix and count up in device order.
  const n = params.length;
  const expiresInSeconds = request.ttlSeconds + delay + (requiresApproval ? APPROVAL_WINDOW_SECONDS : 0);
  const fanned = (await one<{
    targets: number;
    eligible: number;
    pending: number;
    pending_message: string | null;
  }>(
    tx,
    `WITH created AS (
       INSERT INTO commands (id, org_id, job_id, device_id, enrollment_generation, type, params, status, error,
         skip_reason, priority, after_command_id, source_line, created_by, expires_at, completed_at)
       SELECT (left($${n + 1}::text, 28) || lpad(to_hex(row_number() OVER (ORDER BY d.id)), 8, '0'))::uuid,
         $1, $${n + 2}::uuid, d.id, d.enrollment_generation, $${n + 3}, $${n + 4}::jsonb,
         CASE WHEN e.reason IS NULL THEN 'queued' ELSE 'skipped' END, e.message, e.reason,
         $${n + 5}, e.after_id, d.line, $${n + 6}, now() + make_interval(secs => $${n + 7}),
         CASE WHEN e.reason IS NOT NULL THEN now() END
       FROM ${from}
       RETURNING status, skip_reason, error
     )
     SELECT count(*)::int AS targets, count(*) FILTER (WHERE status = 'queued')::int AS eligible,
       count(*) FILTER (WHERE skip_reason = 'pending_destructive')::int AS pending,
       min(error) FILTER (WHERE skip_reason = 'pending_destructive') AS pending_message
     FROM created`,
    [
      ...params,
      uuidv7(),
      jobId,
      request.type,
      JSON.stringify(request.params),
      URGENT_COMMANDS.includes(request.type) ? 0 : 1,
      actor.name,
      expiresInSeconds,
    ],
  ))!;

  checkGuards(request, fanned.targets);
  await checkNotWholeFleet(tx, orgId, request, fanned.targets);
  if (fanned.targets > 0 && fanned.pending === fanned.targets) {
    throw new ApiError('conflict', `nothing to do: ${fanned.pending_message} on every target device`);
  }
  await tx.query('UPDATE jobs SET target_count = $2 WHERE id = $1', [jobId, fanned.targets]);
  return jobId;
}
