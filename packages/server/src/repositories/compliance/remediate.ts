import {
  type CommandType,
  type ComplianceRule,
  CreateJobRequest,
  DESTRUCTIVE_COMMANDS,
  type EscalationStep,
  MAX_TARGET_REFS,
  type ManagementMode,
  type NextStep,
  PreviewJobRequest,
  parseDuration,
  type RemediateRequest,
  type RemediationAction,
  type RemediationResult,
  type ViolationEvidence,
} from '@fleetops/protocol';
import type { z } from 'zod';
import { ApiError } from '../../errors';
import { parseWhere, selectorSql } from '../../selector-sql';
import { one, type Queryable } from '../../store/db';
import { iso } from '../../store/time';
import type { JobActor, JobsRepository } from '../jobs';

/** Remediations of one org run one at a time, so two runs never take the same step twice. */
const REMEDIATION_LOCK = 7412012;

const secondsOf = (duration: string) => parseDuration(duration) ?? 0;

/** A rule's escalation steps in the order they fall due. */
export const ladderOf = (rule: ComplianceRule): EscalationStep[] =>
  [...(rule.escalation ?? [])].sort((a, b) => secondsOf(a.after) - secondsOf(b.after));

/** Whether the rule's violations name apps that remove-app can remove. */
export const removesApps = (rule: ComplianceRule): boolean =>
  'blockedApps' in rule.check || 'allowedApps' in rule.check;

/**
 * SQL: the actions already taken for the violation of `violation` (an alias with `device_id`,
 * `rule` and `since`) whose offending apps are in `evidence`. remove-app is taken once each of
 * those apps was removed: one installed later in the same violation still calls for it.
 */
export const stepsTakenSql = (violation: string, evidence: string): string =>
  `ARRAY(SELECT m.action FROM compliance_remediations m
         WHERE m.device_id = ${violation}.device_id AND m.rule = ${violation}.rule AND m.since = ${violation}.since
         GROUP BY m.action
         HAVING m.action <> 'remove-app' OR NOT EXISTS (
           SELECT 1 FROM jsonb_array_elements(coalesce(${evidence} -> 'apps', '[]'::jsonb)) a
           WHERE NOT a ->> 'packageId' = ANY(array_agg(m.package_id))))`;

/** A standing violation as the ladder sees it: since when, on which kind of device, what was done. */
export interface LadderPosition {
  since: Date;
  mode: ManagementMode;
  /** Actions already taken for this violation (this `since`), as {@link stepsTakenSql} counts them. */
  taken: readonly string[];
}

/** The first step of the rule's ladder not yet taken for the violation, due `after` its start. */
export function nextStep(rule: ComplianceRule | undefined, position: LadderPosition): NextStep | null {
  if (!rule) return null;
  const step = ladderOf(rule).find((candidate) => !position.taken.includes(candidate.action));
  if (!step) return null;
  return {
    action: step.action,
    dueAt: iso(new Date(position.since.getTime() + secondsOf(step.after) * 1000)),
    byodRetire: step.action === 'wipe' && position.mode === 'BYOD',
  };
}

/** The command an action sends to a device: wipe on a personally owned device becomes retire. */
const commandOf = (action: RemediationAction, mode: ManagementMode): CommandType => {
  switch (action) {
    case 'notify':
      return 'message';
    case 'wipe':
      return mode === 'BYOD' ? 'retire' : 'wipe';
    default:
      return action;
  }
};

/** The parameters of the command, saying which rule it is for. */
function paramsOf(command: CommandType, rules: readonly ComplianceRule[], packageId: string | null): unknown {
  const names = rules.map((rule) => `"${rule.name}"`).join(', ');
  const broken = `This device breaks the compliance ${rules.length > 1 ? 'rules' : 'rule'} ${names}`;
  switch (command) {
    case 'message': {
      const [rule] = rules;
      return {
        title: `Compliance: ${rule!.name}`,
        body: `${broken}${rule!.description ? `: ${rule!.description}` : '.'}\nFix it, or ask your IT administrator for help.`,
      };
    }
    case 'lock':
      return { message: `${broken}. Contact your IT administrator.` };
    case 'wipe':
      return { reason: `compliance: ${rules.map((rule) => rule.name).join(', ')}` };
    case 'remove-app':
      return { packageId };
    default:
      return {};
  }
}

type Request = z.output<typeof RemediateRequest>;

interface ViolationRow {
  device_id: string;
  rule: string;
  since: Date;
  /** `since` as the store writes it, to the microsecond. */
  since_exact: string;
  evidence: ViolationEvidence;
  mode: ManagementMode;
  taken: string[];
  /** The apps a remove-app step already removed for this violation. */
  removed: string[];
}

/** A violation a job acts on, with the `since` it was planned with. */
interface PlannedTarget {
  deviceId: string;
  since: string;
}

/** One job to create: a command for one rule's devices. */
interface Group {
  rule: ComplianceRule;
  action: RemediationAction;
  command: CommandType;
  packageId: string | null;
  targets: PlannedTarget[];
}

const invalid = (path: string, message: string) =>
  new ApiError('validation_failed', `${path}: ${message}`, { issues: [{ path, message }] });

/** The rules a remediation acts on: the one named, or every rule with a ladder. */
function rulesOf(request: Request, rules: readonly ComplianceRule[]): ComplianceRule[] {
  if (request.action !== undefined && request.rule === undefined) {
    throw invalid('body.rule', 'an action needs the rule whose violations it acts on');
  }
  if (request.grace !== undefined && request.action === undefined) {
    throw invalid(
      'body.grace',
      "grace goes with an action; without one each ladder step's own delay applies",
    );
  }
  if (request.rule === undefined) {
    const laddered = rules.filter((rule) => ladderOf(rule).length > 0);
    if (laddered.length === 0) {
      throw invalid(
        'body.rule',
        'no rule has an escalation ladder: give a rule escalation steps, or name the rule and the action to take',
      );
    }
    return laddered;
  }
  const rule = rules.find((candidate) => candidate.name === request.rule);
  if (!rule) throw invalid('body.rule', `no rule named ${request.rule} in the rule set`);
  if (request.action === 'remove-app' && !removesApps(rule)) {
    throw invalid(
      'body.action',
      `remove-app needs a blockedApps or allowedApps rule: rule ${rule.name} names no app to remove`,
    );
  }
  if (request.action === undefined && ladderOf(rule).length === 0) {
    throw invalid('body.action', `rule ${rule.name} has no escalation ladder: give the action to take`);
  }
  return [rule];
}

/** Refuses a remediation whose size is not what the caller said it would be. */
function checkGuards(request: Request, devices: number): void {
  if (request.expectCount !== undefined && devices !== request.expectCount) {
    throw new ApiError(
      'guard_refused',
      `the remediation would act on ${devices} devices, not the ${request.expectCount} expected (expectCount)`,
      { targetCount: devices },
    );
  }
  if (request.maxTargets !== undefined && devices > request.maxTargets) {
    throw new ApiError(
      'guard_refused',
      `the remediation would act on ${devices} devices, more than the maximum of ${request.maxTargets} (maxTargets)`,
      { targetCount: devices },
    );
  }
}

/** What each standing violation calls for, grouped by rule, command and app. */
function plan(request: Request, rules: ComplianceRule[], rows: ViolationRow[], now: Date) {
  const byName = new Map(rules.map((rule) => [rule.name, rule]));
  const groups = new Map<string, Group>();
  let alreadyRemediated = 0;
  let inGrace = 0;
  const graceMs = secondsOf(request.grace ?? '0s') * 1000;
  for (const row of rows) {
    const rule = byName.get(row.rule)!;
    let action: RemediationAction;
    if (request.action !== undefined) {
      action = request.action;
      if (row.taken.includes(action)) {
        alreadyRemediated += 1;
        continue;
      }
      if (row.since.getTime() + graceMs > now.getTime()) {
        inGrace += 1;
        continue;
      }
    } else {
      const step = nextStep(rule, row);
      if (!step) {
        alreadyRemediated += 1;
        continue;
      }
      if (new Date(step.dueAt) > now) {
        inGrace += 1;
        continue;
      }
      action = step.action;
    }
    const command = commandOf(action, row.mode);
    const packages =
      command === 'remove-app'
        ? [...new Set((row.evidence.apps ?? []).map((app) => app.packageId))].filter(
            (packageId) => !row.removed.includes(packageId),
          )
        : [null];
    for (const packageId of packages) {
      const key = JSON.stringify([rule.name, command, packageId]);
      const group = groups.get(key) ?? { rule, action, command, packageId, targets: [] };
      group.targets.push({ deviceId: row.device_id, since: row.since_exact });
      groups.set(key, group);
    }
  }
  return { groups: [...groups.values()], alreadyRemediated, inGrace };
}

/** Why a job was made, e.g. `compliance rule no-stalkerware: lock`. */
function reasonOf(job: PlannedJob): string {
  const steps = job.parts.map((part) => `${part.rule.name}: ${part.action}`);
  return `compliance ${steps.length > 1 ? 'rules' : 'rule'} ${steps.join('; ')}`;
}

/** One job to create, and the rules' violations it acts on. */
interface PlannedJob {
  command: CommandType;
  packageId: string | null;
  deviceIds: string[];
  /** Each rule's share of the job's devices. */
  parts: Group[];
}

/**
 * The jobs of a plan: one per command (per app for remove-app), so that a device two rules call
 * to lock or wipe gets one command, not a second that its first would refuse; notifications one
 * per rule, each naming its rule. At most {@link MAX_TARGET_REFS} devices a job.
 */
function jobsOf(groups: readonly Group[]): PlannedJob[] {
  const buckets = new Map<string, Group[]>();
  for (const group of groups) {
    const key = JSON.stringify([
      group.command,
      group.packageId,
      group.command === 'message' && group.rule.name,
    ]);
    buckets.set(key, [...(buckets.get(key) ?? []), group]);
  }
  const jobs: PlannedJob[] = [];
  for (const bucket of buckets.values()) {
    const deviceIds = [...new Set(bucket.flatMap((group) => group.targets.map((target) => target.deviceId)))];
    for (let start = 0; start < deviceIds.length; start += MAX_TARGET_REFS) {
      const chunk = deviceIds.slice(start, start + MAX_TARGET_REFS);
      const inChunk = new Set(chunk);
      const parts = bucket
        .map((group) => ({
          ...group,
          targets: group.targets.filter((target) => inChunk.has(target.deviceId)),
        }))
        .filter((part) => part.targets.length > 0);
      jobs.push({ command: bucket[0]!.command, packageId: bucket[0]!.packageId, deviceIds: chunk, parts });
    }
  }
  return jobs;
}

const byId = (deviceIds: readonly string[]) => deviceIds.map((value) => ({ by: 'id' as const, value }));

/**
 * How many devices the wipes and retires of the plan would reach now (each counted once): the
 * approval threshold holds for the remediation as a whole, not for each of its jobs.
 */
async function destructiveReach(jobs: JobsRepository, orgId: string, groups: Group[]): Promise<number> {
  let eligible = 0;
  for (const command of DESTRUCTIVE_COMMANDS) {
    const distinct = [
      ...new Set(
        groups
          .filter((group) => group.command === command)
          .flatMap((group) => group.targets.map((target) => target.deviceId)),
      ),
    ];
    for (let start = 0; start < distinct.length; start += MAX_TARGET_REFS) {
      const preview = await jobs.preview(
        orgId,
        PreviewJobRequest.parse({
          type: command,
          targets: { devices: byId(distinct.slice(start, start + MAX_TARGET_REFS)) },
          sampleSize: 0,
        }),
      );
      eligible += preview.eligibleCount;
    }
  }
  return eligible;
}

/**
 * Turns the org's standing violations into jobs: with `action`, each violation at least `grace`
 * old; without, each violation whose next ladder step is due. A step already taken for a
 * violation is not taken again (remove-app: for an app already removed). One normal job per
 * command (see {@link jobsOf}) goes through the jobs
 * service with its safety rules (destructive budget, and the approval threshold held against all
 * the devices the remediation wipes or retires, so that every such job awaits approval above it);
 * `authorize` refuses a command the caller may not send. Runs in the caller's transaction, and
 * records the steps taken there; a dry run only plans.
 */
export async function remediate(
  q: Queryable,
  input: {
    orgId: string;
    actor: JobActor;
    request: Request;
    rules: readonly ComplianceRule[];
    jobs: JobsRepository;
    authorize: (command: CommandType) => void;
  },
): Promise<RemediationResult> {
  const { orgId, request } = input;
  const rules = rulesOf(request, input.rules);
  const scan = await one<{ id: string }>(
    q,
    'SELECT id FROM compliance_scans WHERE org_id = $1 ORDER BY id DESC LIMIT 1',
    [orgId],
  );
  const scanId = scan?.id ?? null;
  if (!request.dryRun) {
    await q.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [REMEDIATION_LOCK, orgId]);
  }
  const params: unknown[] = [orgId, rules.map((rule) => rule.name)];
  const selector =
    request.where === undefined ? 'true' : selectorSql(parseWhere(request.where, 'body.where'), params);
  const rows = await q.query<ViolationRow>(
    `SELECT v.device_id, v.rule, v.since, v.since::text AS since_exact, v.evidence, d.mode,
       ${stepsTakenSql('v', 'v.evidence')} AS taken,
       ARRAY(SELECT m.package_id FROM compliance_remediations m
             WHERE m.device_id = v.device_id AND m.rule = v.rule AND m.since = v.since
               AND m.action = 'remove-app') AS removed
     FROM compliance_violations v JOIN devices d ON d.id = v.device_id
     WHERE v.org_id = $1 AND v.rule = ANY($2::text[]) AND d.status = 'active' AND ${selector}
     ORDER BY v.device_id, v.rule`,
    params,
  );
  const { now } = (await one<{ now: Date }>(q, 'SELECT now() AS now'))!;
  const { groups, alreadyRemediated, inGrace } = plan(request, rules, rows, now);
  const deviceCount = new Set(groups.flatMap((group) => group.targets.map((target) => target.deviceId))).size;
  checkGuards(request, deviceCount);

  const planned = jobsOf(groups);
  const jobIds: (string | null)[] = [];
  if (!request.dryRun) {
    for (const job of planned) input.authorize(job.command);
    const approvalCount = await destructiveReach(input.jobs, orgId, groups);
    for (const job of planned) {
      const rules = job.parts.map((part) => part.rule);
      const created = await input.jobs.create(
        orgId,
        input.actor,
        CreateJobRequest.parse({
          type: job.command,
          params: paramsOf(job.command, rules, job.packageId),
          targets: { devices: byId(job.deviceIds) },
          reason: request.reason ?? reasonOf(job),
        }),
        undefined,
        { approvalCount },
      );
      jobIds.push(created.id);
    }
    await recordSteps(q, orgId, planned, jobIds as string[]);
  }
  return {
    dryRun: request.dryRun,
    scanId,
    items: planned.flatMap((job, i) =>
      job.parts.map((part) => ({
        rule: part.rule.name,
        action: part.action,
        command: part.command,
        packageId: part.packageId,
        deviceIds: part.targets.map((target) => target.deviceId),
        jobId: jobIds[i] ?? null,
      })),
    ),
    deviceCount,
    alreadyRemediated,
    inGrace,
  };
}

/**
 * Records each step taken for the violation it was planned for (the `since` it had then), with
 * its job; a remove-app step once per app. A violation that ended meanwhile is not recorded.
 */
async function recordSteps(
  q: Queryable,
  orgId: string,
  planned: PlannedJob[],
  jobIds: string[],
): Promise<void> {
  const devices: string[] = [];
  const rules: string[] = [];
  const actions: string[] = [];
  const packages: string[] = [];
  const since: string[] = [];
  const jobs: string[] = [];
  planned.forEach((job, i) => {
    for (const part of job.parts) {
      for (const target of part.targets) {
        devices.push(target.deviceId);
        rules.push(part.rule.name);
        actions.push(part.action);
        packages.push(part.packageId ?? '');
        since.push(target.since);
        jobs.push(jobIds[i]!);
      }
    }
  });
  if (devices.length === 0) return;
  await q.query(
    `INSERT INTO compliance_remediations (org_id, device_id, rule, action, package_id, since, job_id)
     SELECT $1, v.device_id, v.rule, t.action, t.package_id, v.since, t.job_id
     FROM unnest($2::uuid[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::uuid[])
       AS t(device_id, rule, action, package_id, since, job_id)
     JOIN compliance_violations v ON v.device_id = t.device_id AND v.rule = t.rule AND v.since = t.since
     ON CONFLICT DO NOTHING`,
    [orgId, devices, rules, actions, packages, since, jobs],
  );
}
