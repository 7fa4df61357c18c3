import type { AppRule, EffectivePolicy } from '@fleetops/protocol';
import { contentHash } from './fields';
import type { LivePolicy } from './plan';

/** The effective policy of a group: what its devices should run, and where each field came from. */
export type GroupPolicy = Pick<EffectivePolicy, 'hash' | 'settings' | 'sources'>;

const SECTIONS = ['restrictions', 'passwordRequirements', 'audit', 'retention'] as const;

/**
 * Merges the policies of one group: each field of `settings` (and each app, by packageName) comes
 * from the policy of highest priority that sets it.
 */
function merge(policies: LivePolicy[]): GroupPolicy {
  const settings: EffectivePolicy['settings'] = {
    restrictions: {},
    passwordRequirements: {},
    applications: [],
    audit: {},
    retention: {},
  };
  const sources: EffectivePolicy['sources'] = {};
  const apps = new Map<string, AppRule>();
  const byPriority = [...policies].sort(
    (a, b) => a.document.spec.assignment.priority - b.document.spec.assignment.priority,
  );
  for (const { name, version, document } of byPriority) {
    const source = { policy: name, version };
    for (const section of SECTIONS) {
      for (const [field, value] of Object.entries(document.spec[section] ?? {})) {
        if (value === undefined) continue;
        (settings[section] as Record<string, unknown>)[field] = value;
        sources[`${section}.${field}`] = source;
      }
    }
    for (const app of document.spec.applications ?? []) {
      apps.set(app.packageName, app);
      sources[`applications.${app.packageName}`] = source;
    }
  }
  settings.applications = [...apps.values()].sort((a, b) => (a.packageName < b.packageName ? -1 : 1));
  return { hash: contentHash(settings), settings, sources };
}

/** The effective policy of every group some live policy is assigned to. */
export function effectivePolicies(live: LivePolicy[]): Map<string, GroupPolicy> {
  const byGroup = new Map<string, LivePolicy[]>();
  for (const policy of live) {
    for (const group of policy.document.spec.assignment.groups) {
      const policies = byGroup.get(group) ?? [];
      policies.push(policy);
      byGroup.set(group, policies);
    }
  }
  return new Map([...byGroup].map(([group, policies]) => [group, merge(policies)]));
}

/** What a device of a group no policy is assigned to runs: nothing set. */
export const NO_POLICY: GroupPolicy = merge([]);
