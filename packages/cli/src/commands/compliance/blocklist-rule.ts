import type { AppMatcherInput, ComplianceRuleInput, Severity } from '@fleetops/protocol';
import { UsageError } from '../../errors';
import { MAX_BLOCKLIST_ENTRIES } from './blocklist-file';

/** The blockedApps rule an import makes. */
export interface BlocklistRule {
  name: string;
  matchers: AppMatcherInput[];
  /** When not given: the replaced rule's severity, else high. */
  severity?: Severity;
  /** Said of a new rule: where its entries come from. */
  description: string;
}

/**
 * The rule set with `rule` in it: a rule of that name has its blocklist replaced (keeping its
 * place, description, `where` and escalation ladder, and its severity unless one is given); a
 * new rule goes last. A rule of that name that checks something else is not replaced.
 */
export function withBlocklistRule(
  rules: readonly ComplianceRuleInput[],
  rule: BlocklistRule,
): { rules: ComplianceRuleInput[]; replaced: boolean } {
  if (rule.matchers.length > MAX_BLOCKLIST_ENTRIES) {
    throw new UsageError(
      `${rule.matchers.length} entries are more than the ${MAX_BLOCKLIST_ENTRIES} one rule takes`,
      'split the list and import each part with its own --rule',
    );
  }
  const index = rules.findIndex((r) => r.name === rule.name);
  const existing = rules[index];
  if (!existing) {
    const added: ComplianceRuleInput = {
      name: rule.name,
      description: rule.description,
      severity: rule.severity ?? 'high',
      check: { blockedApps: rule.matchers },
    };
    return { rules: [...rules, added], replaced: false };
  }
  if (!('blockedApps' in existing.check)) {
    const kind = Object.keys(existing.check)[0];
    throw new UsageError(
      `rule ${rule.name} checks ${kind}, not blockedApps: an import would replace it`,
      'import into another rule (--rule NAME)',
    );
  }
  const replacement: ComplianceRuleInput = {
    ...existing,
    severity: rule.severity ?? existing.severity,
    check: { blockedApps: rule.matchers },
  };
  return { rules: rules.with(index, replacement), replaced: true };
}
