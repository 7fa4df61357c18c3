import type { ComplianceRuleSet, DeviceAppRules } from '@fleetops/protocol';
import { contentHash } from '../policies/fields';
import type { ComplianceRuleSets } from './rule-set';

/** Every blockedApps matcher of the rules, with its rule and severity, and a hash that changes with them. */
export function deviceAppRulesOf(set: Pick<ComplianceRuleSet, 'rules'>): DeviceAppRules {
  const blockedApps = set.rules.flatMap((rule) =>
    'blockedApps' in rule.check
      ? rule.check.blockedApps.map((matcher) => ({ ...matcher, rule: rule.name, severity: rule.severity }))
      : [],
  );
  return { hash: contentHash(blockedApps), blockedApps };
}

/**
 * The blocklist devices scan their apps against, per org: built once per stored rule set, so a
 * new revision (an apply, on any server sharing the store) replaces it.
 */
export function createDeviceAppRules(ruleSets: Pick<ComplianceRuleSets, 'get'>) {
  const cache = new Map<string, { set: ComplianceRuleSet; rules: DeviceAppRules }>();
  return {
    async forOrg(orgId: string): Promise<DeviceAppRules> {
      const set = await ruleSets.get(orgId);
      const cached = cache.get(orgId);
      if (cached?.set === set) return cached.rules;
      const rules = deviceAppRulesOf(set);
      cache.set(orgId, { set, rules });
      return rules;
    },
  };
}
export type DeviceAppRulesCache = ReturnType<typeof createDeviceAppRules>;
