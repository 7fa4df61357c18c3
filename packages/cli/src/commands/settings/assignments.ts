import { AUDIT_CATEGORIES, type AuditCategory, type PatchOrgSettingsRequest } from '@fleetops/protocol';
import { UsageError } from '../../errors';
import { numberOrOff } from './options';

/** What `settings set KEY=VALUE…` asks to change; retention is merged into the current one. */
export interface SettingsChanges {
  patch: Omit<PatchOrgSettingsRequest, 'retention'>;
  /** Per category: a duration, or null to go back to the default. */
  retention: Partial<Record<AuditCategory, string | null>>;
}

const DURATION = /^[1-9]\d{0,5}[smhdw]$/;
const ACTIONS = ['delete', 'anonymize'] as const;
const KEYS_HELP =
  'keys: retention.<category>=DURATION|default, retentionAction=delete|anonymize, approvalThreshold=N|off, destructiveBudgetPerHour=N|off';

const camel = (name: string) => name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

/** Parses `retention.location=30d retentionAction=delete …`; a mistake is a usage error naming it. */
export function parseAssignments(assignments: string[]): SettingsChanges {
  const changes: SettingsChanges = { patch: {}, retention: {} };
  for (const assignment of assignments) {
    const [rawKey = '', ...rest] = assignment.split('=');
    const key = camel(rawKey.trim());
    const value = rest.join('=').trim();
    if (rest.length === 0 || value === '') {
      throw new UsageError(`expected KEY=VALUE, not "${assignment}"`, KEYS_HELP);
    }
    const fail = (expected: string) => new UsageError(`${rawKey}: expected ${expected}, not "${value}"`);
    if (key.startsWith('retention.')) {
      const category = AUDIT_CATEGORIES.find((c) => c === camel(key.slice('retention.'.length)));
      if (!category)
        throw new UsageError(`unknown setting "${rawKey}"`, `categories: ${AUDIT_CATEGORIES.join(', ')}`);
      if (value !== 'default' && !DURATION.test(value)) throw fail('a duration such as 30d, or default');
      changes.retention[category] = value === 'default' ? null : value;
    } else if (key === 'retentionAction') {
      const action = ACTIONS.find((a) => a === value);
      if (!action) throw fail(ACTIONS.join(' or '));
      changes.patch.retentionAction = action;
    } else if (key === 'approvalThreshold' || key === 'destructiveBudgetPerHour') {
      const parsed = parseNumberOrOff(value, key === 'approvalThreshold' ? 0 : 1, fail);
      changes.patch[key] = parsed === 'off' ? null : parsed;
    } else {
      throw new UsageError(`unknown setting "${rawKey}"`, KEYS_HELP);
    }
  }
  return changes;
}

function parseNumberOrOff(value: string, min: number, fail: (expected: string) => Error): number | 'off' {
  try {
    return numberOrOff(min)(value);
  } catch {
    throw fail(`a whole number of at least ${min}, or off`);
  }
}
