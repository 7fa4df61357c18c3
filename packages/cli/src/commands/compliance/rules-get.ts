import {
  type ComplianceRule,
  type ComplianceRuleSet,
  ComplianceRulesDocument,
  POLICY_API_VERSION,
  RULES_KIND,
} from '@fleetops/protocol';
import { stringify } from 'yaml';
import type { Handler } from '../../command';
import { type Column, list, record } from '../../output/view';
import { write } from '../../output/write';
import { inSchemaOrder } from '../policy/schema-order';

/** One line per rule, for `-o csv`. */
const ruleColumns: Column<ComplianceRule>[] = [
  { key: 'name', header: 'NAME', value: (r) => r.name },
  { key: 'severity', header: 'SEVERITY', value: (r) => r.severity },
  { key: 'check', header: 'CHECK', value: (r) => Object.keys(r.check)[0] },
  { key: 'entries', header: 'ENTRIES', value: (r) => entryCount(r) },
  { key: 'where', header: 'WHERE', value: (r) => r.where },
  {
    key: 'escalation',
    header: 'ESCALATION',
    value: (r) => r.escalation?.map((step) => `${step.action} after ${step.after}`).join(', '),
  },
  { key: 'description', header: 'DESCRIPTION', value: (r) => r.description },
];

/**
 * Prints the org's rule set as a rules document that `compliance rules apply` takes back: YAML
 * (the default, and `-o yaml`), JSON (`-o json`, `-o ndjson`), or one line per rule (`-o csv`).
 * The revision goes to stderr.
 */
export const handler: Handler<object> = async (opts, { client, io }) => {
  const set = await (await client()).compliance.rules.get();
  io.info(describeRevision(set));
  if (opts.output === 'csv') return list(set.rules, ruleColumns);
  const document = inSchemaOrder(ComplianceRulesDocument, {
    apiVersion: POLICY_API_VERSION,
    kind: RULES_KIND,
    rules: set.rules,
  });
  if (opts.output === 'json' || opts.output === 'ndjson') return record(document, []);
  await write(io.stdout, stringify(document, { lineWidth: 0 }));
  return { kind: 'none' };
};

function describeRevision(set: ComplianceRuleSet): string {
  if (set.revision === 0) return 'no rules were applied yet (revision 0)';
  const rules = `${set.rules.length} ${set.rules.length === 1 ? 'rule' : 'rules'}`;
  return `revision ${set.revision}, ${rules}, applied ${set.updatedAt}`;
}

/** How many apps a list check names; nothing for a check of device state. */
function entryCount(rule: ComplianceRule): number | undefined {
  const { check } = rule;
  if ('blockedApps' in check) return check.blockedApps.length;
  if ('allowedApps' in check) return check.allowedApps.length;
  if ('requiredApps' in check) return check.requiredApps.length;
  return undefined;
}
