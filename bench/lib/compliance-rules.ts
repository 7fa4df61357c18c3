import type { AppMatcherInput, ComplianceRuleInput, ComplianceRulesDocumentInput } from '@fleetops/protocol';
import { indicators } from './compliance-fleet.ts';

/**
 * A rule, with the devices breaking it written by hand: a SELECT of `id` over `fleet` (the org's
 * active devices with the facts the rules read, read once) and the CTEs of {@link baselineSql}.
 */
interface BenchRule {
  rule: ComplianceRuleInput;
  devices: string;
}

const breaking = (condition: string) => `SELECT d.id FROM fleet d WHERE ${condition}`;
/**
 * Version keys are computed once per distinct version (CTEs os_versions and required_ok), not per
 * device; the rows of the required apps are read once for all rules (installed_required).
 */
const behind = (os: 'android' | 'ios', minimum: string) =>
  `d.os = '${os}' AND d.os_version IN (SELECT version FROM os_versions
     WHERE os = '${os}' AND fleetops_version_key(version) < fleetops_version_key('${minimum}'))`;
/** Devices with the app at or above the minimum (CTEs installed_required and required_ok). */
const upToDate = (packageId: string, minVersion: string) =>
  `SELECT i.device_id FROM installed_required i JOIN required_ok r USING (package_id, version)
     WHERE r.package_id = '${packageId}' AND r.min_version = '${minVersion}'`;
const silentFor = (interval: string) => breaking(`d.last_seen_at < now() - interval '${interval}'`);
const corporate = (os: 'android' | 'ios') => breaking(`d.os = '${os}' AND d.mode <> 'BYOD'`);
const unencrypted = 'd.storage_encrypted IS NOT TRUE';
const noPasscode = 'd.passcode_set IS NOT TRUE';
const maybeRooted = 'd.rooted IS NOT FALSE';

/** The blocklist: every package id and signing certificate of the indicators, one matcher each. */
export function stalkerwareMatchers(): AppMatcherInput[] {
  const labelled = (rows: [string, string][]) => {
    const apps = new Map<string, string[]>();
    for (const [indicator, app] of rows) apps.set(indicator, [...(apps.get(indicator) ?? []), app]);
    return [...apps].map(([indicator, names]) => ({ indicator, label: names.join(', ') }));
  };
  return [
    ...labelled(indicators('stalkerware-packages.tsv')).map(({ indicator, label }) => ({
      packageId: indicator,
      label,
    })),
    ...labelled(indicators('stalkerware-certificates.tsv')).map(({ indicator, label }) => ({
      certificate: indicator,
      label,
    })),
  ];
}

/** Twenty rules on device state: OS minimums, passcode, encryption, root, check-in age, required apps, policy. */
const stateRules: BenchRule[] = [
  {
    rule: { name: 'os-minimum', severity: 'high', check: { osVersion: { android: '13', ios: '17' } } },
    devices: breaking(`${behind('android', '13')} OR ${behind('ios', '17')}`),
  },
  {
    rule: {
      name: 'os-minimum-finance',
      severity: 'high',
      where: 'group = finance',
      check: { osVersion: { android: '14', ios: '17.5' } },
    },
    devices: breaking(
      `d.group_name = 'finance' AND (${behind('android', '14')} OR ${behind('ios', '17.5')})`,
    ),
  },
  {
    rule: {
      name: 'os-minimum-byod',
      severity: 'medium',
      where: 'mode = BYOD',
      check: { osVersion: { android: '12', ios: '16' } },
    },
    devices: breaking(`d.mode = 'BYOD' AND (${behind('android', '12')} OR ${behind('ios', '16')})`),
  },
  {
    rule: {
      name: 'os-minimum-warehouse',
      severity: 'low',
      where: 'group = warehouse',
      check: { osVersion: { android: '15' } },
    },
    devices: breaking(`d.group_name = 'warehouse' AND ${behind('android', '15')}`),
  },
  {
    rule: { name: 'passcode-set', severity: 'critical', check: { passcodeSet: true } },
    devices: breaking(noPasscode),
  },
  {
    rule: { name: 'passcode-set-byod', severity: 'high', where: 'mode = BYOD', check: { passcodeSet: true } },
    devices: breaking(`d.mode = 'BYOD' AND ${noPasscode}`),
  },
  {
    rule: { name: 'storage-encrypted', severity: 'high', check: { storageEncrypted: true } },
    devices: breaking(unencrypted),
  },
  {
    rule: {
      name: 'storage-encrypted-finance',
      severity: 'critical',
      where: 'group = finance',
      check: { storageEncrypted: true },
    },
    devices: breaking(`d.group_name = 'finance' AND ${unencrypted}`),
  },
  {
    rule: { name: 'not-rooted', severity: 'critical', check: { notRooted: true } },
    devices: breaking(maybeRooted),
  },
  {
    rule: { name: 'not-rooted-byod', severity: 'high', where: 'mode = BYOD', check: { notRooted: true } },
    devices: breaking(`d.mode = 'BYOD' AND ${maybeRooted}`),
  },
  {
    rule: { name: 'stale-14d', severity: 'medium', check: { checkedInWithin: '14d' } },
    devices: silentFor('14 days'),
  },
  {
    rule: { name: 'stale-30d', severity: 'high', check: { checkedInWithin: '30d' } },
    devices: silentFor('30 days'),
  },
  {
    rule: {
      name: 'stale-7d-finance',
      severity: 'medium',
      where: 'group = finance',
      check: { checkedInWithin: '7d' },
    },
    devices: breaking(`d.group_name = 'finance' AND d.last_seen_at < now() - interval '7 days'`),
  },
  {
    rule: {
      name: 'stale-48h-warehouse',
      severity: 'low',
      where: 'group = warehouse',
      check: { checkedInWithin: '48h' },
    },
    devices: breaking(`d.group_name = 'warehouse' AND d.last_seen_at < now() - interval '48 hours'`),
  },
  {
    rule: {
      name: 'stale-2w-sales',
      severity: 'low',
      where: 'group = sales',
      check: { checkedInWithin: '2w' },
    },
    devices: breaking(`d.group_name = 'sales' AND d.last_seen_at < now() - interval '14 days'`),
  },
  {
    rule: {
      name: 'authenticator-android',
      severity: 'high',
      where: 'os = android and mode != BYOD',
      check: { requiredApps: [{ packageId: 'com.azure.authenticator', minVersion: '6.2400' }] },
    },
    devices: `${corporate('android')} EXCEPT ${upToDate('com.azure.authenticator', '6.2400')}`,
  },
  {
    rule: {
      name: 'outlook-android',
      severity: 'medium',
      where: 'os = android and mode != BYOD',
      check: { requiredApps: [{ packageId: 'com.microsoft.office.outlook', minVersion: '4.2400' }] },
    },
    devices: `${corporate('android')} EXCEPT ${upToDate('com.microsoft.office.outlook', '4.2400')}`,
  },
  {
    rule: {
      name: 'security-apps-ios',
      severity: 'high',
      where: 'os = ios and mode != BYOD',
      check: {
        requiredApps: [
          { packageId: 'com.microsoft.azureauthenticator', minVersion: '6.8' },
          { packageId: 'com.microsoft.Office.Outlook', minVersion: '4.2400' },
        ],
      },
    },
    devices: `${corporate('ios')} EXCEPT (${upToDate('com.microsoft.azureauthenticator', '6.8')}
      INTERSECT ${upToDate('com.microsoft.Office.Outlook', '4.2400')})`,
  },
  {
    rule: { name: 'policy-in-sync', severity: 'medium', check: { policyInSync: true } },
    devices: 'SELECT id FROM drifted',
  },
  {
    rule: {
      name: 'policy-in-sync-finance',
      severity: 'high',
      where: 'group = finance',
      check: { policyInSync: true },
    },
    devices: `SELECT id FROM drifted WHERE group_name = 'finance'`,
  },
];

const blocklistRule: ComplianceRuleInput = {
  name: 'no-stalkerware',
  severity: 'critical',
  check: { blockedApps: stalkerwareMatchers() },
  escalation: [
    { action: 'notify', after: '0s' },
    { action: 'lock', after: '1d' },
    { action: 'wipe', after: '7d' },
  ],
};

/** The rules scanned: the real stalkerware blocklist and the twenty state rules. */
export const benchRules: ComplianceRulesDocumentInput = {
  apiVersion: 'fleetops.dev/v1',
  kind: 'ComplianceRules',
  rules: [blocklistRule, ...stateRules.map((entry) => entry.rule)],
};

const sqlText = (value: string) => `'${value.replaceAll("'", "''")}'`;
const sqlArray = (values: string[]) => `ARRAY[${values.map(sqlText).join(', ')}]::text[]`;

/**
 * The hand-written baseline: one statement counting, per rule, the org's active devices that break
 * it. The blocklist is looked up by package id and by certificate in the installed apps; each
 * state rule selects its devices; policy drift compares each device's applied policy with its
 * group's `policyHashes`.
 */
export function baselineSql(orgId: string, policyHashes: Map<string, string>): string {
  const matchers = stalkerwareMatchers();
  const packageIds = matchers.flatMap((m) => (m.packageId ? [m.packageId] : []));
  const certificates = matchers.flatMap((m) => (m.certificate ? [m.certificate] : []));
  const expected = [...policyHashes].map(([group, hash]) => `(${sqlText(group)}, ${sqlText(hash)})`);
  const requiredApps = stateRules.flatMap(({ rule }) =>
    'requiredApps' in rule.check ? rule.check.requiredApps : [],
  );
  const required = requiredApps.map((app) => `(${sqlText(app.packageId)}, ${sqlText(app.minVersion!)})`);
  const branches = stateRules.map(
    ({ rule, devices }) => `SELECT ${sqlText(rule.name)} AS rule, id FROM (${devices}) AS broken`,
  );
  // The blocklist is looked up one indicator at a time, by index (LATERAL, kept apart from the
  // join by OFFSET 0): given the whole list at once, the planner overestimates the hits and reads
  // every installed app instead.
  return `WITH fleet AS MATERIALIZED (
      SELECT id, os, group_name, mode, last_seen_at, applied_policy_hash,
        facts ->> 'osVersion' AS os_version, (facts ->> 'passcodeSet')::boolean AS passcode_set,
        (facts ->> 'storageEncrypted')::boolean AS storage_encrypted, (facts ->> 'rooted')::boolean AS rooted,
        jsonb_array_length(policy_failures) > 0 AS policy_failed
      FROM devices WHERE org_id = ${sqlText(orgId)} AND status = 'active'),
    os_versions AS (SELECT DISTINCT d.os, d.os_version AS version FROM fleet d),
    required (package_id, min_version) AS (VALUES ${required.join(', ')}),
    installed_required AS MATERIALIZED (
      SELECT device_id, package_id, version FROM device_apps
      WHERE package_id IN (${requiredApps.map((app) => sqlText(app.packageId)).join(', ')})),
    required_ok AS MATERIALIZED (
      SELECT v.package_id, v.version, r.min_version
      FROM (SELECT DISTINCT package_id, version FROM installed_required) v JOIN required r USING (package_id)
      WHERE fleetops_version_key(v.version) >= fleetops_version_key(r.min_version)),
    drifted AS (
      SELECT d.id, d.group_name FROM fleet d JOIN (VALUES ${expected.join(', ')}) AS g(group_name, hash) USING (group_name)
      WHERE d.applied_policy_hash IS DISTINCT FROM g.hash OR d.policy_failed),
    stalkerware AS (
      SELECT a.device_id FROM unnest(${sqlArray(packageIds)}) AS p(package_id),
        LATERAL (SELECT device_id FROM device_apps WHERE package_id = p.package_id OFFSET 0) a
      UNION ALL
      SELECT a.device_id FROM unnest(${sqlArray(certificates)}) AS c(certificate),
        LATERAL (SELECT device_id FROM device_apps WHERE certificate = c.certificate OFFSET 0) a)
    SELECT rule, count(*)::int AS devices FROM (
      SELECT 'no-stalkerware' AS rule, d.id FROM fleet d WHERE d.id IN (SELECT device_id FROM stalkerware)
      UNION ALL
      ${branches.join('\n      UNION ALL\n      ')}
    ) broken GROUP BY rule`;
}
