import { dirname, join } from 'node:path';
import { FINAL_JOB_STATUSES } from '@fleetops/protocol';
import { FleetApiError, type FleetClient, type Job } from '@fleetops/sdk';
import type { Handler } from '../../command';
import type { IO } from '../../io';
import { type CommandResult, record } from '../../output/view';
import { spin } from '../../spinner';
import { jobColumns } from '../jobs/columns';
import { followJob } from '../jobs/follow';
import { confirmDestructive, requireConfirmable } from './confirm';
import { dryRun } from './preview';
import { explainRefusal, type RefusalContext } from './refusals';
import { type JobFlags, jobRequest, verbArguments } from './request';
import { type JobRun, openJobRun } from './resume';
import { readTargets, type TargetOptions } from './sources';
import type { BulkVerb } from './verbs';

/** Options of a bulk verb, besides the command's own parameters. */
export interface BulkOptions extends TargetOptions, JobFlags {
  /** The first argument of a verb that takes an app. */
  app?: string;
  package?: string;
  dryRun?: boolean;
  yes?: boolean;
  wait?: boolean;
  timeout: string;
}

/** Skipped devices named after the job is created, at most. */
const SKIPPED_SHOWN = 10;

/**
 * The handler of a bulk verb: reads the targets, checks the flags, then previews the job
 * (`--dry-run`) or creates it, after confirmation for a destructive one. The request is
 * resumable: running the same command again after an interruption attaches to the job the
 * first run created. With `--wait`, follows the job to its end (exit 0, 3, 6 or 7).
 */
export function bulkHandler(verb: BulkVerb): Handler<BulkOptions & Record<string, unknown>> {
  return async (opts, { client, config, clock, io }) => {
    const args = verbArguments(verb, opts);
    const resolved = await readTargets({ ...opts, deviceIds: args.deviceIds }, io.stdin);
    const body = jobRequest(verb, opts, args, resolved);
    const context: RefusalContext = { verb, body, source: resolved.source };
    const mustConfirm = verb.destructive === true && !opts.yes && !opts.dryRun;
    if (mustConfirm) requireConfirmable(context, io);
    const fleet = await client();
    if (opts.dryRun) return dryRun(fleet, io, context, opts.output);

    const me = await fleet.whoami();
    const identity = { server: fleet.baseUrl, orgId: me.org.id, tokenId: me.token.id };
    const run = await openJobRun(join(dirname(config.path), 'runs'), identity, body, clock());
    // The run that was interrupted had its answer, or its --yes: it is not asked again.
    let confirmedCount = run.earlier?.confirmedCount;
    if (mustConfirm && !run.earlier) confirmedCount = await confirmDestructive(fleet, io, context);
    await run.begin({ confirmedCount });
    const sent =
      confirmedCount === undefined ? body : { ...body, expectCount: body.expectCount ?? confirmedCount };
    const job = await spin(io, `creating the ${verb.type} job`, () =>
      fleet.jobs.create(sent, { idempotencyKey: run.idempotencyKey }),
    ).catch((error) => forgetIfRefused(run, error).then(explainRefusal(context)));
    await run.created(job.id);

    if (run.earlier) io.info(`attached to job ${job.id}, created ${job.createdAt}`);
    await reportSkipped(fleet, io, job);
    if (!opts.wait) {
      await run.finish();
      return created(io, fleet, job, opts.timeout);
    }
    const result = await followJob(fleet, io, job, { timeout: opts.timeout });
    if (isFinal(result)) await run.finish();
    return result;
  };
}

/** A job created without `--wait`: the job, and how to follow it (or who must approve it first). */
async function created(io: IO, fleet: FleetClient, job: Job, timeout: string): Promise<CommandResult> {
  if (job.status === 'awaiting_approval') return followJob(fleet, io, job, { timeout });
  const follow = FINAL_JOB_STATUSES.includes(job.status)
    ? ''
    : `; follow it with: fleetops jobs wait ${job.id}`;
  io.info(`job ${job.id} is ${job.status}: ${job.type} for ${job.targetCount} device(s)${follow}`);
  return record(job, jobColumns);
}

/**
 * A request the server refused for good will never create its job: the run is over. One that
 * may succeed if sent again (a request with the same key still in progress, a spent budget)
 * keeps its run, so that running the command again sends the same key.
 */
async function forgetIfRefused(run: JobRun, error: unknown): Promise<unknown> {
  const refused =
    error instanceof FleetApiError && error.status < 500 && error.headers.get('x-should-retry') !== 'true';
  if (refused) await run.finish();
  return error;
}

/** Whether a followed job ended final: only then is there nothing to attach to again. */
function isFinal(result: CommandResult): boolean {
  if (result.kind !== 'record') return false;
  return FINAL_JOB_STATUSES.includes((result.item as Job).status);
}

/** Names the devices the job skipped, and why: a BYOD device is never wiped, and so on. */
async function reportSkipped(fleet: FleetClient, io: IO, job: Job): Promise<void> {
  const count = job.counts.skipped;
  if (count === 0 || io.quiet) return;
  const page = await fleet.jobs.results(job.id, { status: 'skipped', limit: SKIPPED_SHOWN });
  io.info(`${count} device(s) skipped:`);
  for (const result of page.data) {
    const line = result.line === null ? '' : ` (line ${result.line})`;
    io.info(`  ${result.serial ?? result.deviceId}${line}: ${result.error ?? 'skipped'}`);
  }
  if (count > page.data.length) io.info(`  … all of them: fleetops jobs results ${job.id} --status skipped`);
}
