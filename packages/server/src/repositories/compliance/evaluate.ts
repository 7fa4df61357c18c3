import {
  type AppMatcher,
  type CheckKind,
  type ComplianceRule,
  parseDuration,
  type RequiredApp,
  SEVERITY_RANK,
  type Severity,
  type ViolationEvidence,
} from '@fleetops/protocol';
import { parseWhere, selectorSql } from '../../selector-sql';
import type { Db, Queryable } from '../../store/db';
import { reachedKeySql } from '../policies/device-policies';

/** One device breaking one rule. */
export interface ViolationRow {
  deviceId: string;
  rule: string;
  severity: Severity;
  evidence: ViolationEvidence;
}

/** Which devices an evaluation covers: the org's active devices, optionally narrowed. */
export interface EvaluationScope {
  orgId: string;
  /** Only these devices (a check-in evaluates one). */
  deviceIds?: string[];
  /** Only devices matching this selector (docs/selectors.md). */
  where?: string;
}

/**
 * What a policyInSync check compares against: the effective policy hash a device of each group
 * should run, per set of active rollouts that reached it (`keys`, as policy drift computes them).
 */
export interface ExpectedPolicies {
  groups: string[];
  /** The sorted ids of the rollouts that reached the device, joined by `,`; '' for none. */
  keys: string[];
  hashes: string[];
  /** The org's active rollouts and the last wave each released. */
  rolloutIds: string[];
  rolloutWaves: number[];
}

/** No policy anywhere: every device is in sync. */
export const NO_EXPECTED_POLICIES: ExpectedPolicies = {
  groups: [],
  keys: [],
  hashes: [],
  rolloutIds: [],
  rolloutWaves: [],
};

/** A SELECT and its parameters, for embedding as a CTE in the statements that store results. */
export interface CompiledQuery {
  sql: string;
  params: unknown[];
}

/**
 * The comparable key of a bound, as `fleetops_version_key` computes it for installed versions, as
 * an array literal. Trailing zeros are dropped, so `17.0` is no higher than a device's `17`.
 */
function boundKey(version: string): string {
  const numbers = (version.match(/[0-9]{1,30}/g) ?? []).map((n) => n.replace(/^0+(?=\d)/, ''));
  while (numbers.length > 0 && numbers[numbers.length - 1] === '0') numbers.pop();
  return `{${numbers.join(',')}}`;
}

/** A package glob as a LIKE pattern: `*` is any characters, `_` and `%` are themselves. */
export const likePattern = (glob: string) => glob.replace(/[\\%_]/g, '\\$&').replace(/\*/g, '%');

export const isGlob = (packageId: string) => packageId.includes('*');

/** Numbered parameters, continuing a list the caller starts at `firstParam`. */
class Params {
  /** Padded so that `$n` is the n-th element, as `selectorSql` numbers them. */
  readonly values: unknown[];
  private readonly first: number;

  constructor(firstParam: number) {
    this.first = firstParam;
    this.values = new Array(firstParam - 1).fill(null);
  }

  /** The placeholder of `value`, cast to `type` when given. */
  add(value: unknown, type?: string): string {
    this.values.push(value);
    return type === undefined ? `$${this.values.length}` : `$${this.values.length}::${type}`;
  }

  compiled(sql: string): CompiledQuery {
    return { sql, params: this.values.slice(this.first - 1) };
  }
}

/** The conditions on `devices` (unqualified) of the scope: the org's active devices, narrowed. */
function scopeConditions(scope: EvaluationScope, p: Params): string {
  const conditions = [`org_id = ${p.add(scope.orgId, 'uuid')}`, "status = 'active'"];
  if (scope.where !== undefined) conditions.push(selectorSql(parseWhere(scope.where, 'where'), p.values));
  if (scope.deviceIds !== undefined) conditions.push(`id = ANY(${p.add(scope.deviceIds, 'uuid[]')})`);
  return conditions.join(' AND ');
}

/** The scoped active devices: a SELECT of `id, group_name` numbered from `firstParam`. */
export function compileScope(scope: EvaluationScope, firstParam = 1): CompiledQuery {
  const p = new Params(firstParam);
  return p.compiled(`SELECT id, group_name FROM devices WHERE ${scopeConditions(scope, p)}`);
}

/** Columns of the `scoped` CTE each check reads, besides `id` and `group_name`. */
const COLUMNS: Partial<Record<CheckKind, readonly string[]>> = {
  osVersion: ['os', "facts ->> 'osVersion' AS os_version"],
  passcodeSet: ["(facts ->> 'passcodeSet')::boolean AS passcode_set"],
  storageEncrypted: ["(facts ->> 'storageEncrypted')::boolean AS storage_encrypted"],
  notRooted: ["(facts ->> 'rooted')::boolean AS rooted"],
  checkedInWithin: ['last_seen_at'],
  policyInSync: ['applied_policy_hash', 'policy_failures'],
};

const kindOf = (rule: ComplianceRule) => Object.keys(rule.check)[0] as CheckKind;

/** What every branch needs: the rule's output columns and which scoped devices it applies to. */
interface Branch {
  /** `AS rule, ... AS severity_rank,` ready to precede the evidence. */
  head: (deviceId: string) => string;
  /** A boolean over `d` (a `scoped` row): the rule applies to this device. */
  applies: string;
  p: Params;
  /** Named subqueries the branch adds to the statement's WITH. */
  ctes: string[];
  /** Starts the names of the branch's subqueries, unique in the statement. */
  prefix: string;
}

const text = (value: string) => `'${value}'::text`;

/** Apps as evidence: one object per app, in package order. */
const appsEvidence = (row: string, label: string) =>
  `jsonb_build_object('apps', jsonb_agg(jsonb_build_object('packageId', ${row}.package_id, 'name', ${row}.name,
     'version', ${row}.version, 'certificate', ${row}.certificate, 'label', ${label}) ORDER BY ${row}.package_id))`;

/**
 * The matchers of a list, split by how the database finds their apps: exact package ids by
 * equality, certificates alone by equality, globs by LIKE.
 */
interface MatcherGroup {
  kind: 'exact' | 'certificate' | 'glob';
  matchers: { matcher: AppMatcher; index: number }[];
}

function matcherGroups(matchers: readonly AppMatcher[]): MatcherGroup[] {
  const groups: Record<MatcherGroup['kind'], MatcherGroup> = {
    exact: { kind: 'exact', matchers: [] },
    certificate: { kind: 'certificate', matchers: [] },
    glob: { kind: 'glob', matchers: [] },
  };
  matchers.forEach((matcher, index) => {
    const kind =
      matcher.packageId === undefined ? 'certificate' : isGlob(matcher.packageId) ? 'glob' : 'exact';
    groups[kind].matchers.push({ matcher, index });
  });
  return Object.values(groups).filter((group) => group.matchers.length > 0);
}

/**
 * A group's matchers as `unnest(...) AS m(...)`, with the condition an app `a` must meet: the key
 * column compared in the join condition `on`, the other parts of each matcher in `filter` ('' when
 * none has any). `candidate` is the key test of `a` alone against the whole list (`= ANY`,
 * `LIKE ANY`; null for an app without certificate). With `labelled`, `m` has each matcher's `label`
 * and `idx` too.
 */
function matcherTable(
  group: MatcherGroup,
  p: Params,
  labelled: boolean,
): { from: string; on: string; filter: string; candidate: string } {
  const entries = group.matchers;
  const columns: string[] = [];
  const arrays: string[] = [];
  const column = (name: string, values: unknown[], type: string) => {
    columns.push(name);
    arrays.push(p.add(values, `${type}[]`));
  };
  const key = entries.map(({ matcher }) =>
    group.kind === 'certificate'
      ? matcher.certificate!.toUpperCase()
      : group.kind === 'glob'
        ? likePattern(matcher.packageId!)
        : matcher.packageId!,
  );
  column('key', key, 'text');
  const keys = arrays[0]!;
  if (labelled) {
    column(
      'label',
      entries.map((e) => e.matcher.label ?? null),
      'text',
    );
    column(
      'idx',
      entries.map((e) => e.index),
      'integer',
    );
  }
  const filters: string[] = [];
  if (group.kind !== 'certificate' && entries.some((e) => e.matcher.certificate !== undefined)) {
    column(
      'certificate',
      entries.map((e) => e.matcher.certificate?.toUpperCase() ?? null),
      'text',
    );
    filters.push('(m.certificate IS NULL OR a.certificate = m.certificate)');
  }
  const bound = (name: string, op: string, of: (m: AppMatcher) => string | undefined) => {
    if (!entries.some((e) => of(e.matcher) !== undefined)) return;
    const bounds = entries.map((e) => {
      const version = of(e.matcher);
      return version === undefined ? null : boundKey(version);
    });
    column(name, bounds, 'text');
    filters.push(`(m.${name} IS NULL OR fleetops_version_key(a.version) ${op} m.${name}::numeric[])`);
  };
  bound('at_least', '>=', (m) => m.versionAtLeast);
  bound('below', '<', (m) => m.versionBelow);
  const [on, candidate] =
    group.kind === 'exact'
      ? ['a.package_id = m.key', `a.package_id = ANY(${keys})`]
      : group.kind === 'certificate'
        ? ['a.certificate = m.key', `a.certificate = ANY(${keys})`]
        : ['a.package_id LIKE m.key', `a.package_id LIKE ANY(${keys})`];
  return {
    from: `unnest(${arrays.join(', ')}) AS m(${columns.join(', ')})`,
    on,
    filter: filters.length > 0 ? ` AND ${filters.join(' AND ')}` : '',
    candidate,
  };
}

/**
 * Each installed app matching a matcher breaks the rule, labelled by the first matcher it matches.
 * The apps whose key is listed are found first, on their own (a materialized CTE): planned like
 * the plain `package_id = ANY(list)` join, by index, rather than alongside the matcher table.
 */
function blockedApps(matchers: readonly AppMatcher[], b: Branch): string {
  const parts = matcherGroups(matchers).map((group) => {
    const m = matcherTable(group, b.p, true);
    const candidates = `${b.prefix}_${group.kind}`;
    b.ctes.push(
      `${candidates} AS MATERIALIZED (SELECT a.device_id, a.package_id, a.name, a.version, a.certificate
         FROM device_apps a JOIN scoped d ON d.id = a.device_id WHERE ${b.applies} AND ${m.candidate})`,
    );
    return `SELECT a.device_id, a.package_id, a.name, a.version, a.certificate, m.label, m.idx
      FROM ${candidates} a JOIN ${m.from} ON ${m.on}${m.filter}`;
  });
  return `${b.head('hit.device_id')} ${appsEvidence('hit', 'hit.label')} AS evidence
    FROM (SELECT DISTINCT ON (device_id, package_id) * FROM (${parts.join(' UNION ALL ')}) u
          ORDER BY device_id, package_id, idx) hit
    GROUP BY hit.device_id`;
}

/**
 * Each installed app matching no matcher breaks the rule. The key test against the whole list
 * settles most apps; only those it lets through are checked matcher by matcher, when matchers have
 * certificates or version bounds.
 */
function allowedApps(matchers: readonly AppMatcher[], b: Branch): string {
  const unmatched = matcherGroups(matchers).map((group) => {
    const m = matcherTable(group, b.p, false);
    const unlisted = `(${m.candidate}) IS NOT TRUE`;
    if (m.filter === '') return unlisted;
    return `(${unlisted} OR NOT EXISTS (SELECT 1 FROM ${m.from} WHERE ${m.on}${m.filter}))`;
  });
  return `${b.head('a.device_id')} ${appsEvidence('a', 'NULL::text')} AS evidence
    FROM scoped d JOIN device_apps a ON a.device_id = d.id
    WHERE ${b.applies} AND ${unmatched.join(' AND ')}
    GROUP BY a.device_id`;
}

/**
 * The installed apps of every rule's required packages, read in one pass: a device's apps lie
 * together in the table, so one scan for all of them reads each page once, not once per rule.
 */
const REQUIRED_INSTALLED = 'required_installed';

function requiredInstalled(rules: readonly ComplianceRule[], p: Params): string | undefined {
  const packages = new Set(
    rules.flatMap((rule) =>
      'requiredApps' in rule.check ? rule.check.requiredApps.map((app) => app.packageId) : [],
    ),
  );
  if (packages.size === 0) return undefined;
  return `${REQUIRED_INSTALLED} AS MATERIALIZED (SELECT a.device_id, a.package_id, a.version FROM scoped d
    JOIN device_apps a ON a.device_id = d.id AND a.package_id = ANY(${p.add([...packages], 'text[]')}))`;
}

/**
 * A required app missing, or installed below its minimum, breaks the rule. Version keys are
 * computed once per distinct installed version, not per device.
 */
function requiredApps(apps: readonly RequiredApp[], b: Branch): string {
  const packages = b.p.add(
    apps.map((app) => app.packageId),
    'text[]',
  );
  const minimums = b.p.add(
    apps.map((app) => app.minVersion ?? null),
    'text[]',
  );
  const keys = b.p.add(
    apps.map((app) => (app.minVersion === undefined ? null : boundKey(app.minVersion))),
    'text[]',
  );
  const indexes = b.p.add(
    apps.map((_, index) => index),
    'integer[]',
  );
  const required = `unnest(${packages}, ${minimums}, ${keys}, ${indexes}) AS r(package_id, min_version, min_key, idx)`;
  const installed = `${b.prefix}_installed`;
  const below = `${b.prefix}_below`;
  b.ctes.push(
    `${installed} AS (SELECT i.device_id, i.package_id, i.version FROM ${REQUIRED_INSTALLED} i
       JOIN scoped d ON d.id = i.device_id
       WHERE i.package_id = ANY(${packages}) AND ${b.applies})`,
    `${below} AS (SELECT r.idx, v.version
       FROM (SELECT package_id, version, fleetops_version_key(version) AS key FROM ${installed}
             GROUP BY package_id, version) v
       JOIN ${required} ON r.package_id = v.package_id
       WHERE r.min_key IS NOT NULL AND v.key < r.min_key::numeric[])`,
  );
  return `${b.head('d.id')} jsonb_build_object('missing', jsonb_agg(jsonb_build_object('packageId', r.package_id,
      'minVersion', r.min_version, 'installedVersion', i.version) ORDER BY r.idx)) AS evidence
    FROM scoped d CROSS JOIN ${required}
    LEFT JOIN ${installed} i ON i.device_id = d.id AND i.package_id = r.package_id
    WHERE ${b.applies} AND (i.device_id IS NULL OR (r.idx, i.version) IN (SELECT idx, version FROM ${below}))
    GROUP BY d.id`;
}

/**
 * The OS version below the minimum of the device's platform breaks the rule; a platform not named
 * is not checked. Version keys are computed once per distinct OS version.
 */
function osVersion(minimum: { android?: string; ios?: string }, b: Branch): string {
  const platforms = (['android', 'ios'] as const).filter((os) => minimum[os] !== undefined);
  const oses = b.p.add(platforms, 'text[]');
  const minimums = b.p.add(
    platforms.map((os) => minimum[os]),
    'text[]',
  );
  const keys = b.p.add(
    platforms.map((os) => boundKey(minimum[os]!)),
    'text[]',
  );
  const bounds = `unnest(${oses}, ${minimums}, ${keys}) AS m(os, minimum, key)`;
  return `${b.head('d.id')} jsonb_build_object('found', d.os_version, 'expected', low.minimum) AS evidence
    FROM scoped d JOIN (
      SELECT v.os, v.os_version, m.minimum
      FROM (SELECT os, os_version, fleetops_version_key(os_version) AS key FROM scoped GROUP BY os, os_version) v
      JOIN ${bounds} ON m.os = v.os
      WHERE v.key < m.key::numeric[]
    ) low ON low.os = d.os AND low.os_version = d.os_version
    WHERE ${b.applies}`;
}

/** A device fact that must be reported `expected`: another value, or none reported, breaks the rule. */
function fact(column: string, expected: boolean, b: Branch): string {
  const found = `CASE WHEN d.${column} IS NULL THEN 'not reported' ELSE ${text(String(!expected))} END`;
  return `${b.head('d.id')} jsonb_build_object('found', ${found}, 'expected', ${text(String(expected))}) AS evidence
    FROM scoped d WHERE ${b.applies} AND d.${column} IS NOT ${expected ? 'TRUE' : 'FALSE'}`;
}

/** A last check-in older than the duration breaks the rule. */
function checkedInWithin(duration: string, b: Branch): string {
  const seconds = b.p.add(parseDuration(duration), 'double precision');
  return `${b.head('d.id')} jsonb_build_object(
      'found', to_char(d.last_seen_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
      'expected', ${b.p.add(duration, 'text')}) AS evidence
    FROM scoped d WHERE ${b.applies} AND d.last_seen_at < now() - make_interval(secs => ${seconds})`;
}

/**
 * Not running the group's effective policy, or reporting fields it could not apply, breaks the
 * rule (as policy drift says); a device of a group without policy is in sync.
 */
function policyInSync(expected: ExpectedPolicies, b: Branch): string {
  const groups = b.p.add(expected.groups, 'text[]');
  const keys = b.p.add(expected.keys, 'text[]');
  const hashes = b.p.add(expected.hashes, 'text[]');
  const policies = `unnest(${groups}, ${keys}, ${hashes}) AS g(group_name, key, hash)`;
  const reached =
    expected.rolloutIds.length === 0
      ? "''"
      : reachedKeySql('d.id', b.p.add(expected.rolloutIds), b.p.add(expected.rolloutWaves));
  const found = `CASE WHEN d.applied_policy_hash IS DISTINCT FROM g.hash THEN coalesce(d.applied_policy_hash, 'not reported')
    ELSE 'failed: ' || (SELECT string_agg(f ->> 'path', ', ') FROM jsonb_array_elements(d.policy_failures) f) END`;
  return `${b.head('d.id')} jsonb_build_object('found', ${found}, 'expected', g.hash) AS evidence
    FROM scoped d JOIN ${policies} ON g.group_name = d.group_name
    WHERE ${b.applies} AND g.key = ${reached}
      AND (d.applied_policy_hash IS DISTINCT FROM g.hash OR jsonb_array_length(d.policy_failures) > 0)`;
}

function branchOf(rule: ComplianceRule, b: Branch, expected: ExpectedPolicies): string {
  const { check } = rule;
  if ('blockedApps' in check) return blockedApps(check.blockedApps, b);
  if ('allowedApps' in check) return allowedApps(check.allowedApps, b);
  if ('requiredApps' in check) return requiredApps(check.requiredApps, b);
  if ('osVersion' in check) return osVersion(check.osVersion, b);
  if ('passcodeSet' in check) return fact('passcode_set', true, b);
  if ('storageEncrypted' in check) return fact('storage_encrypted', true, b);
  if ('notRooted' in check) return fact('rooted', false, b);
  if ('checkedInWithin' in check) return checkedInWithin(check.checkedInWithin, b);
  return policyInSync(expected, b);
}

const NOTHING = `SELECT NULL::uuid AS device_id, NULL::text AS rule, NULL::text AS severity,
  NULL::smallint AS severity_rank, NULL::jsonb AS evidence WHERE false`;

/**
 * Compiles rules into one set-based SELECT over the scoped devices with columns
 * `device_id uuid, rule text, severity text, severity_rank smallint, evidence jsonb`
 * (one row per device and broken rule). Parameters are numbered from `firstParam`.
 *
 * The scoped devices are read once into a CTE holding the facts the rules check and, per distinct
 * rule `where`, whether the device matches it; each rule is then one SELECT of a UNION ALL. App
 * matchers go in as arrays: exact package ids and certificates are joined by equality, globs by LIKE.
 */
export function compileRules(
  rules: readonly ComplianceRule[],
  scope: EvaluationScope,
  expected: ExpectedPolicies,
  firstParam = 1,
): CompiledQuery {
  const selectors = rules.map((rule, index) =>
    rule.where === undefined ? undefined : parseWhere(rule.where, `rules.${index}.where`),
  );
  // Without policies every device is in sync: a policyInSync rule cannot break.
  const evaluated = [...rules.entries()].filter(
    ([, rule]) => !('policyInSync' in rule.check && expected.groups.length === 0),
  );
  if (evaluated.length === 0) return { sql: NOTHING, params: [] };

  const p = new Params(firstParam);
  const columns = new Set<string>(['id', 'group_name']);
  const wheres = new Map<string, string>();
  for (const [index, rule] of evaluated) {
    for (const column of COLUMNS[kindOf(rule)] ?? []) columns.add(column);
    if (rule.where !== undefined && !wheres.has(rule.where)) {
      const column = `in_where_${wheres.size}`;
      wheres.set(rule.where, column);
      columns.add(`${selectorSql(selectors[index]!, p.values)} AS ${column}`);
    }
  }
  const ctes: string[] = [];
  const shared = requiredInstalled(
    evaluated.map(([, rule]) => rule),
    p,
  );
  if (shared) ctes.push(shared);
  const branches = evaluated.map(([index, rule]) => {
    const name = p.add(rule.name, 'text');
    const severity = p.add(rule.severity, 'text');
    const rank = p.add(SEVERITY_RANK[rule.severity], 'smallint');
    const branch: Branch = {
      head: (deviceId) =>
        `SELECT ${deviceId} AS device_id, ${name} AS rule, ${severity} AS severity, ${rank} AS severity_rank,`,
      applies: rule.where === undefined ? 'true' : `d.${wheres.get(rule.where)}`,
      p,
      ctes,
      prefix: `rule_${index}`,
    };
    return `(${branchOf(rule, branch, expected)})`;
  });
  const devices = `scoped AS MATERIALIZED (SELECT ${[...columns].join(', ')} FROM devices WHERE ${scopeConditions(scope, p)})`;
  return p.compiled(`WITH ${[devices, ...ctes].join(',\n')}\n${branches.join('\nUNION ALL\n')}`);
}

/**
 * Plans the rest of the caller's transaction without JIT compilation (PostgreSQL; PGlite has none).
 * Compiled rules are one statement of many expressions, and the ids of a blocklist look common to
 * the planner (statistics cannot tell they are rare), so its cost estimate makes PostgreSQL spend
 * seconds compiling a statement that then runs in about one. Call it in the transaction of the
 * statement that embeds {@link compileRules}, before it.
 */
export async function planWithoutJit(tx: Queryable): Promise<void> {
  await tx.query("SELECT set_config('jit', 'off', true)");
}

/** Runs the compiled rules: every device of the scope breaking a rule, with the evidence. */
export async function evaluateRules(
  db: Db,
  rules: readonly ComplianceRule[],
  scope: EvaluationScope,
  expected: ExpectedPolicies,
): Promise<ViolationRow[]> {
  const compiled = compileRules(rules, scope, expected);
  const rows = await db.transaction(async (tx) => {
    await planWithoutJit(tx);
    return tx.query<{ device_id: string; rule: string; severity: Severity; evidence: ViolationEvidence }>(
      `SELECT device_id, rule, severity, evidence FROM (${compiled.sql}) v`,
      compiled.params,
    );
  });
  return rows.map((row) => ({
    deviceId: row.device_id,
    rule: row.rule,
    severity: row.severity,
    evidence: row.evidence,
  }));
}
