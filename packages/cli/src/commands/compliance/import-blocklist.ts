import { basename } from 'node:path';
import {
  type AppMatcherInput,
  type ComplianceRulesDocumentInput,
  POLICY_API_VERSION,
  RULES_KIND,
  type Severity,
} from '@fleetops/protocol';
import type { Handler } from '../../command';
import { spin } from '../../spinner';
import { appliedOutcome, explainApplyRefusal } from './applied';
import { mergeBlocklist, parseBlocklist } from './blocklist-file';
import { withBlocklistRule } from './blocklist-rule';
import { readTextFile } from './document-file';

/** Options of `compliance rules import-blocklist`. */
export interface ImportBlocklistOptions {
  files: string[];
  rule: string;
  severity?: Severity;
  labelColumn: number;
  dryRun?: boolean;
}

/**
 * Reads lists of package ids and certificate digests into one blockedApps rule, merged into the
 * org's rule set (replacing the list of a rule of that name) and applied against the revision
 * it was read at: if someone applied rules in between, nothing is applied.
 */
export const handler: Handler<ImportBlocklistOptions> = async (opts, { client, io }) => {
  const entries: AppMatcherInput[] = [];
  for (const file of opts.files)
    entries.push(...parseBlocklist(await readTextFile(file), file, opts.labelColumn));
  const blocklist = mergeBlocklist(entries);
  const repeated = blocklist.repeated > 0 ? `; ${blocklist.repeated} named twice, merged` : '';
  io.info(
    `read ${blocklist.packages} package id(s) and ${blocklist.certificates} certificate digest(s)${repeated}`,
  );
  const fleet = await client();
  const current = await fleet.compliance.rules.get();
  const { rules, replaced } = withBlocklistRule(current.rules, {
    name: opts.rule,
    matchers: blocklist.matchers,
    severity: opts.severity,
    description: `Blocklist imported from ${opts.files.map((file) => basename(file)).join(', ')}`,
  });
  io.info(`${replaced ? 'replacing the list of' : 'adding'} rule ${opts.rule}`);
  const document: ComplianceRulesDocumentInput = { apiVersion: POLICY_API_VERSION, kind: RULES_KIND, rules };
  const result = await spin(io, 'applying the rules', () =>
    fleet.compliance.rules.apply(document, { baseRevision: current.revision, dryRun: opts.dryRun }),
  ).catch(explainApplyRefusal(io, undefined));
  return appliedOutcome(result, io, opts.output);
};
