import type { Deps, GlobalOptions, Handler } from '../../command';
import { UsageError } from '../../errors';
import { type CommandResult, record } from '../../output/view';
import { spin } from '../../spinner';
import { outcome } from './apply';
import { confirm } from './confirm';
import { explainConflict } from './conflict';
import { latestRollout } from './latest-rollout';
import { formatPlan } from './plan-view';
import { rolloutColumns } from './rollout-columns';
import { rolloutLine, versionsOf } from './rollout-progress';

/** Options of `policy rollback`. */
export interface RollbackOptions {
  /** A policy whose newest rollout to roll back. */
  name?: string;
  /** A revision to make the whole set what it was right after. */
  to?: number;
  yes?: boolean;
  message?: string;
}

/**
 * With `--to`, makes the policy set what it was right after that revision, as a new revision;
 * with a policy NAME, rolls back its newest rollout. Confirmed at a terminal or by `--yes`.
 */
export const handler: Handler<RollbackOptions> = async (opts, deps) => {
  if (opts.to !== undefined && opts.name !== undefined) {
    throw new UsageError('give either a policy NAME or --to REVISION, not both');
  }
  if (opts.to !== undefined) return rollbackRevision(opts, opts.to, deps);
  if (opts.name !== undefined) return rollbackRollout(opts, opts.name, deps);
  throw new UsageError(
    'nothing to roll back',
    'pass --to REVISION (the whole set) or a policy NAME (its latest rollout)',
  );
};

/** Refused if the set changes between the question and the rollback. */
async function rollbackRevision(
  opts: RollbackOptions & GlobalOptions,
  to: number,
  deps: Deps,
): Promise<CommandResult> {
  const { client, io } = deps;
  const fleet = await client();
  const live = await fleet.policies.list();
  if (!opts.yes) await confirm(deps, `roll the policies at revision ${live.revision} back to revision ${to}`);
  const result = await spin(io, 'rolling back', () =>
    fleet.policies.rollback({ toRevision: to, baseRevision: live.revision, message: opts.message }),
  ).catch(explainConflict);
  if (!io.quiet && result.revision) io.stderr.write(formatPlan(result.plan, io.stderrColor));
  return outcome(result, opts.output, io);
}

/** Devices that got the rollout's version get the one before again. */
async function rollbackRollout(
  opts: RollbackOptions & GlobalOptions,
  name: string,
  deps: Deps,
): Promise<CommandResult> {
  const { client, io } = deps;
  const fleet = await client();
  const latest = await latestRollout(fleet, name);
  if (!opts.yes) await confirm(deps, `roll back the rollout of ${name} (${versionsOf(latest)})`);
  const rollout = await spin(io, 'rolling back', () => fleet.rollouts.rollback(latest.id));
  io.info(rolloutLine(rollout, new Date()));
  return record(rollout, rolloutColumns);
}
