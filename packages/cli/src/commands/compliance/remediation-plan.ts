import type { Job, RemediationResult } from '@fleetops/protocol';
import type { Column } from '../../output/view';
import { plural } from './describe';

/** One job of a remediation: planned, or created with where it stands. */
export interface PlanRow {
  rule: string;
  action: string;
  command: string;
  packageId: string | null;
  devices: number;
  jobId: string | null;
  status: string | null;
}

/** Commands that take a device out of its user's hands: a person confirms them. */
const DESTRUCTIVE_COMMANDS = new Set(['lock', 'wipe', 'retire']);

export const planColumns: Column<PlanRow>[] = [
  { key: 'rule', header: 'RULE', value: (r) => r.rule },
  { key: 'action', header: 'ACTION', value: (r) => r.action },
  { key: 'command', header: 'COMMAND', value: (r) => r.command },
  { key: 'packageId', header: 'PACKAGE', value: (r) => r.packageId },
  { key: 'devices', header: 'DEVICES', value: (r) => r.devices },
  { key: 'jobId', header: 'JOB', value: (r) => r.jobId },
  { key: 'status', header: 'STATUS', value: (r) => r.status },
];

/** One row per job of the plan, with the status of the jobs created when they are known. */
export function planRows(plan: RemediationResult, jobs: ReadonlyMap<string, Job> = new Map()): PlanRow[] {
  return plan.items.map((item) => ({
    rule: item.rule,
    action: item.action,
    command: item.command,
    packageId: item.packageId,
    devices: item.deviceIds.length,
    jobId: item.jobId,
    status: item.jobId ? (jobs.get(item.jobId)?.status ?? null) : null,
  }));
}

/** Whether the plan locks, wipes or retires a device. */
export const isDestructive = (plan: RemediationResult): boolean =>
  plan.items.some((item) => DESTRUCTIVE_COMMANDS.has(item.command));

/** The plan in a few lines: what it acts on, what it skips and why. */
export function describePlan(plan: RemediationResult): string[] {
  const jobs = plural(plan.items.length, 'job');
  const head = plan.dryRun
    ? `dry run: ${jobs} for ${plural(plan.deviceCount, 'device')}; nothing is created`
    : `created ${jobs} for ${plural(plan.deviceCount, 'device')}`;
  const lines = [plan.items.length === 0 ? 'nothing to remediate: no violation is due for a step' : head];
  if (plan.inGrace > 0) lines.push(`in grace: ${plural(plan.inGrace, 'violation')} not old enough yet`);
  if (plan.alreadyRemediated > 0) {
    lines.push(
      `already done: ${plural(plan.alreadyRemediated, 'violation')} had this step taken by an earlier job`,
    );
  }
  if (plan.scanId === null) lines.push('no scan was run yet: run fleetops compliance scan first');
  return lines;
}
