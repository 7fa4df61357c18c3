import type { Job, RemediateRequest, RemediationAction, RemediationResult } from '@fleetops/protocol';
import type { FleetClient } from '@fleetops/sdk';
import type { Handler } from '../../command';
import { CliError, ExitCode, UsageError } from '../../errors';
import type { IO } from '../../io';
import { type CommandResult, list, type OutputFormat, record } from '../../output/view';
import { write } from '../../output/write';
import { spin } from '../../spinner';
import { checkSelector } from '../devices/list';
import { plural } from './describe';
import { describePlan, isDestructive, planColumns, planRows } from './remediation-plan';
import { explainRemediationRefusal } from './remediation-refusals';

/** Options of `compliance remediate`. */
export interface RemediateOptions {
  rule?: string;
  action?: RemediationAction;
  grace?: string;
  where?: string;
  dryRun?: boolean;
  yes?: boolean;
  reason?: string;
  expectCount?: number;
  maxTargets?: number;
}

/**
 * Turns violations past their grace period into jobs: plans first (what each rule's ladder, or
 * `--action`, would send to which devices), shows the plan, asks a person at a terminal to
 * confirm a lock or wipe by typing the number of devices (scripts pass `--yes`), then creates
 * one job per command and prints their ids. Exit 6 when a job awaits approval.
 */
export const handler: Handler<RemediateOptions> = async (opts, { client, io }) => {
  const body = remediateRequest(opts);
  const fleet = await client();
  const plan = await spin(io, 'planning the remediation', () =>
    fleet.compliance.remediate({ ...body, dryRun: true }),
  ).catch(explainRemediationRefusal);
  if (opts.dryRun || plan.items.length === 0) return showPlan(plan, io, opts.output);
  const destructive = isDestructive(plan);
  if (destructive && !opts.yes) await confirmPlan(plan, io);
  // Confirmed for this many devices: should the violations change meanwhile, the server refuses.
  const expectCount = body.expectCount ?? (destructive && !opts.yes ? plan.deviceCount : undefined);
  const result = await spin(io, 'creating the jobs', () =>
    fleet.compliance.remediate({ ...body, expectCount }),
  ).catch(explainRemediationRefusal);
  return showJobs(fleet, result, io, opts.output);
};

/** The request the flags make; flags that do not go together are a usage error (exit 2). */
export function remediateRequest(opts: RemediateOptions): RemediateRequest {
  if (opts.action !== undefined && opts.rule === undefined) {
    throw new UsageError('--action needs --rule: the rule whose violations to act on');
  }
  if (opts.grace !== undefined && opts.action === undefined) {
    throw new UsageError(
      "--grace goes with --action: without it, each step's own delay of the ladder applies",
    );
  }
  if (opts.where !== undefined) checkSelector(opts.where);
  return {
    ...(opts.rule !== undefined && { rule: opts.rule }),
    ...(opts.action !== undefined && { action: opts.action }),
    ...(opts.grace !== undefined && { grace: opts.grace }),
    ...(opts.where !== undefined && { where: opts.where }),
    ...(opts.reason !== undefined && { reason: opts.reason }),
    ...(opts.expectCount !== undefined && { expectCount: opts.expectCount }),
    ...(opts.maxTargets !== undefined && { maxTargets: opts.maxTargets }),
  };
}

/**
 * The plan: its summary (stdout in a table, else stderr) and one line per job it would create;
 * in json and yaml, the whole answer.
 */
async function showPlan(plan: RemediationResult, io: IO, format: OutputFormat): Promise<CommandResult> {
  const summary = describePlan(plan);
  if (format === 'table') await write(io.stdout, `${summary.join('\n')}\n`);
  else for (const line of summary) io.info(line);
  if (format === 'json' || format === 'yaml') return record(plan, []);
  if (format === 'table' && plan.items.length === 0) return { kind: 'none' };
  return list(planRows(plan), planColumns);
}

/**
 * A lock or wipe is confirmed by a person at a terminal typing the number of devices; without
 * one (a script, CI), `--yes` is required (exit 2). A wrong answer cancels (exit 1).
 */
async function confirmPlan(plan: RemediationResult, io: IO): Promise<void> {
  const [, ...details] = describePlan(plan);
  const commands = [...new Set(plan.items.map((item) => item.command))].join(', ');
  if (io.isNonInteractiveOrCI()) {
    throw new UsageError(
      `refusing to send ${commands} to ${plural(plan.deviceCount, 'device')} without confirmation (not at a terminal)`,
      'check the plan with --dry-run, then pass --yes to confirm',
    );
  }
  const { confirmCount } = await import('../../views/confirm-count');
  const confirmed = await confirmCount(
    {
      action: `Send ${commands} to ${plural(plan.deviceCount, 'device')}?`,
      details: [
        ...details,
        ...planRows(plan).map(
          (row) =>
            `  ${[row.command, row.packageId].filter(Boolean).join(' ')} (rule ${row.rule}): ${plural(row.devices, 'device')}`,
        ),
      ],
      count: plan.deviceCount,
    },
    { stdin: io.stdin, stderr: io.stderr },
  );
  if (!confirmed) throw new CliError('canceled: no job was created', ExitCode.error);
}

/**
 * The jobs created, each with where it stands; exit 6 when one awaits a second admin's
 * approval before it runs.
 */
async function showJobs(
  fleet: FleetClient,
  result: RemediationResult,
  io: IO,
  format: OutputFormat,
): Promise<CommandResult> {
  const jobs = new Map<string, Job>();
  for (const item of result.items) {
    if (item.jobId) jobs.set(item.jobId, await fleet.jobs.retrieve(item.jobId));
  }
  const awaiting = [...jobs.values()].filter((job) => job.status === 'awaiting_approval');
  for (const line of describePlan(result)) io.info(line);
  for (const job of jobs.values()) {
    io.info(`job ${job.id}: ${job.type} for ${plural(job.targetCount, 'device')}, ${job.status}`);
  }
  for (const job of awaiting) {
    io.warn(`job ${job.id} awaits approval by an admin other than ${job.createdBy}`);
    io.info(`to approve it: fleetops jobs approve ${job.id} (with another admin's token)`);
  }
  if (jobs.size > 0 && awaiting.length < jobs.size) io.info('follow a job with: fleetops jobs wait JOB_ID');
  const exitCode = awaiting.length > 0 ? ExitCode.awaitingApproval : ExitCode.ok;
  if (format === 'json' || format === 'yaml') return record(result, [], { exitCode });
  return list(planRows(result, jobs), planColumns, { emptyMessage: 'no job was created', exitCode });
}
