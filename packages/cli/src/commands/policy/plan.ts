import type { Handler } from '../../command';
import { ExitCode } from '../../errors';
import { record } from '../../output/view';
import { write } from '../../output/write';
import { loadValidPolicies, planPolicies } from './check';
import { planColumns } from './columns';
import { formatPlan, hasChanges } from './plan-view';

/** Options of `policy plan`. */
export interface PlanOptions {
  paths: string[];
  prune?: boolean;
  detailedExitcode?: boolean;
}

/**
 * What applying the files would change: a diff in table format, the plan itself in the others.
 * With `--detailed-exitcode`, exit 2 when there are changes (0 when none).
 */
export const handler: Handler<PlanOptions> = async (opts, { client, io }) => {
  const policies = await loadValidPolicies(opts.paths, io);
  const plan = await planPolicies(await client(), io, policies, opts.prune ?? false);
  const exitCode = opts.detailedExitcode && hasChanges(plan) ? ExitCode.usage : ExitCode.ok;
  if (opts.output !== 'table') return record(plan, planColumns, { exitCode });
  await write(io.stdout, formatPlan(plan, io.color));
  return { kind: 'none', exitCode };
};
