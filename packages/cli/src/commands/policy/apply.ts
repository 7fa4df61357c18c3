import type { PolicyApplyResult } from '@fleetops/protocol';
import type { Handler } from '../../command';
import type { IO } from '../../io';
import { type CommandResult, type OutputFormat, record } from '../../output/view';
import { write } from '../../output/write';
import { spin } from '../../spinner';
import { loadValidPolicies, planPolicies } from './check';
import { applyColumns } from './columns';
import { confirm } from './confirm';
import { explainConflict } from './conflict';
import { applyContext } from './options';
import { formatPlan, hasChanges, summaryLine } from './plan-view';

/** Options of `policy apply`. */
export interface ApplyOptions {
  paths: string[];
  prune?: boolean;
  staged?: boolean;
  yes?: boolean;
  message?: string;
}

/**
 * Plans, shows the plan on stderr, asks for confirmation (or `--yes`) and applies against the
 * revision the plan was made on: if someone changed the policies in between, nothing is applied.
 */
export const handler: Handler<ApplyOptions> = async (opts, deps) => {
  const { client, io } = deps;
  const policies = await loadValidPolicies(opts.paths, io);
  const fleet = await client();
  const prune = opts.prune ?? false;
  const plan = await planPolicies(fleet, io, policies, prune);
  if (!hasChanges(plan)) return outcome({ revision: null, plan }, opts.output, io);
  if (!io.quiet) io.stderr.write(formatPlan(plan, io.stderrColor));
  if (!opts.yes) await confirm(deps, 'apply these changes');
  const applied = await spin(io, 'applying', () =>
    fleet.policies.apply({
      documents: policies.map((p) => p.document),
      prune,
      staged: opts.staged,
      baseRevision: plan.baseRevision,
      message: opts.message,
      context: applyContext(opts.context),
    }),
  ).catch(explainConflict);
  if (opts.staged) for (const line of stagedHints(applied)) io.info(line);
  return outcome(applied, opts.output, io);
};

/** What a staged apply leaves to do: each new version reaches devices only through a rollout. */
function stagedHints({ revision }: PolicyApplyResult): string[] {
  const names = revision ? [...revision.created, ...revision.updated] : [];
  return names.map(
    (name) =>
      `staged: devices keep their version of ${name} until: fleetops policy rollout ${name} --waves …`,
  );
}
/** The revision made (or that nothing changed) as one line in table format; the result in the others. */
export async function outcome(
  applied: PolicyApplyResult,
  format: OutputFormat,
  io: IO,
): Promise<CommandResult> {
  if (format !== 'table') return record(applied, applyColumns);
  await write(io.stdout, `${describeOutcome(applied)}\n`);
  return { kind: 'none' };
}

/** `revision 5: 1 created, 2 updated, 0 deleted`, or the plan's no-change line. */
function describeOutcome({ revision, plan }: PolicyApplyResult): string {
  if (!revision) return summaryLine(plan);
  const counts = `${revision.created.length} created, ${revision.updated.length} updated, ${revision.deleted.length} deleted`;
  const rolledBack = revision.rolledBackTo === null ? '' : ` (as after revision ${revision.rolledBackTo})`;
  return `revision ${revision.revision}: ${counts}${rolledBack}`;
}
