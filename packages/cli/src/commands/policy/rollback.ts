import type { Handler } from '../../command';
import { spin } from '../../spinner';
import { outcome } from './apply';
import { confirm } from './confirm';
import { explainConflict } from './conflict';
import { formatPlan } from './plan-view';

/** Options of `policy rollback`. */
export interface RollbackOptions {
  to: number;
  yes?: boolean;
  message?: string;
}

/**
 * Makes the policy set what it was right after revision `--to`, as a new revision. Confirmed
 * at a terminal or by `--yes`; refused if the set changes between the question and the rollback.
 */
export const handler: Handler<RollbackOptions> = async (opts, deps) => {
  const { client, io } = deps;
  const fleet = await client();
  const live = await fleet.policies.list();
  if (!opts.yes) {
    await confirm(deps, `roll the policies at revision ${live.revision} back to revision ${opts.to}`);
  }
  const result = await spin(io, 'rolling back', () =>
    fleet.policies.rollback({ toRevision: opts.to, baseRevision: live.revision, message: opts.message }),
  ).catch(explainConflict);
  if (!io.quiet && result.revision) io.stderr.write(formatPlan(result.plan, io.stderrColor));
  return outcome(result, opts.output, io);
};
