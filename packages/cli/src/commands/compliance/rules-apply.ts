import type { Handler } from '../../command';
import { spin } from '../../spinner';
import { appliedOutcome, explainApplyRefusal } from './applied';
import { loadRulesFile } from './rules-file';

/** Options of `compliance rules apply`. */
export interface RulesApplyOptions {
  file: string;
  dryRun?: boolean;
  baseRevision?: number;
}

/**
 * Replaces the org's rule set with the rules file, all or nothing. A file with problems is
 * reported problem by problem at its line and column, and nothing is applied (exit 2).
 */
export const handler: Handler<RulesApplyOptions> = async (opts, { client, io }) => {
  const consequence = opts.dryRun ? 'nothing was checked against the server' : 'nothing was applied';
  const rules = await loadRulesFile(opts.file, io, consequence);
  const fleet = await client();
  const result = await spin(io, opts.dryRun ? 'checking the rules' : 'applying the rules', () =>
    fleet.compliance.rules.apply(rules.document, { baseRevision: opts.baseRevision, dryRun: opts.dryRun }),
  ).catch(explainApplyRefusal(io, rules));
  return appliedOutcome(result, io, opts.output);
};
