import type {
  ApplyRulesRequest,
  ApplyRulesResult,
  ComplianceRule,
  ComplianceRuleSet,
  FieldIssue,
} from '@fleetops/protocol';
import type { z } from 'zod';
import { ApiError } from '../../errors';
import { parseWhere } from '../../selector-sql';
import { type Db, one, type Queryable } from '../../store/db';
import { iso } from '../../store/time';
import type { DevicePolicies } from '../policies/device-policies';
import { contentHash } from '../policies/fields';
import { type ExpectedPolicies, isGlob, likePattern } from './evaluate';
import { removesApps } from './remediate';

/** Serialises changes to one org's rule set; released at commit. */
const RULE_SET_LOCK = 7412013;

interface RuleSetRow {
  revision: number;
  /** Null when the caller already holds this revision. */
  rules: ComplianceRule[] | null;
  updated_at: Date;
}

const EMPTY: ComplianceRuleSet = { revision: 0, rules: [], updatedAt: null };

/**
 * What the schema cannot check of a list of rules: each `where` must be a selector, each name
 * used once, and a remove-app step only on a rule that names apps (blockedApps, allowedApps).
 * `at` names where rule `i` sits in the request.
 */
export function ruleIssues(
  rules: readonly ComplianceRule[],
  at: (index: number) => string = (index) => `body.document.rules.${index}`,
): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const names = new Map<string, number>();
  rules.forEach((rule, index) => {
    const earlier = names.get(rule.name);
    if (earlier === undefined) names.set(rule.name, index);
    else {
      issues.push({
        path: `${at(index)}.name`,
        message: `rules[${earlier}] and rules[${index}] are both named ${rule.name}: give each rule its own name`,
      });
    }
    (rule.escalation ?? []).forEach((step, j) => {
      if (step.action !== 'remove-app' || removesApps(rule)) return;
      issues.push({
        path: `${at(index)}.escalation.${j}.action`,
        message: `rule ${rule.name}: remove-app needs a blockedApps or allowedApps rule`,
      });
    });
    if (rule.where === undefined) return;
    try {
      parseWhere(rule.where, `${at(index)}.where`);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      issues.push({
        path: `${at(index)}.where`,
        message: `rule ${rule.name}: ${error.message}`,
      });
    }
  });
  return issues;
}

/** Refuses rules with {@link ruleIssues} with one 422 naming the first and counting the others. */
export function assertValidRules(rules: readonly ComplianceRule[], at?: (index: number) => string): void {
  const issues = ruleIssues(rules, at);
  if (issues.length === 0) return;
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
  throw new ApiError(
    'validation_failed',
    `invalid ${issues[0]!.path}: ${issues[0]!.message}${more}`,
    { issues },
    false,
    422,
  );
}

/** Rule names by what an apply does to them, each list sorted. */
export function diffRules(
  stored: readonly ComplianceRule[],
  given: readonly ComplianceRule[],
): Pick<ApplyRulesResult, 'added' | 'changed' | 'removed' | 'unchanged'> {
  const before = new Map(stored.map((rule) => [rule.name, contentHash(rule)]));
  const after = new Set(given.map((rule) => rule.name));
  const diff = {
    added: [] as string[],
    changed: [] as string[],
    removed: [] as string[],
    unchanged: [] as string[],
  };
  for (const rule of given) {
    const hash = before.get(rule.name);
    if (hash === undefined) diff.added.push(rule.name);
    else (hash === contentHash(rule) ? diff.unchanged : diff.changed).push(rule.name);
  }
  diff.removed = stored.filter((rule) => !after.has(rule.name)).map((rule) => rule.name);
  for (const names of Object.values(diff)) names.sort();
  return diff;
}

/**
 * Warnings about rules that are valid but likely wrong: a blockedApps glob (without certificate
 * or version bounds) that matches every distinct app installed on the org's active devices.
 */
async function warningsOf(q: Queryable, orgId: string, rules: readonly ComplianceRule[]): Promise<string[]> {
  const globs = rules.flatMap((rule) =>
    'blockedApps' in rule.check
      ? rule.check.blockedApps
          .filter(
            (m) =>
              m.packageId !== undefined &&
              isGlob(m.packageId) &&
              m.certificate === undefined &&
              m.versionAtLeast === undefined &&
              m.versionBelow === undefined,
          )
          .map((m) => ({ rule: rule.name, glob: m.packageId! }))
      : [],
  );
  if (globs.length === 0) return [];
  const patterns = [...new Set(globs.map((g) => g.glob))];
  const counts = await q.query<{ glob: string; matched: number; total: number }>(
    `WITH installed AS (
       SELECT DISTINCT a.package_id FROM devices d JOIN device_apps a ON a.device_id = d.id
       WHERE d.org_id = $1 AND d.status = 'active'
     )
     SELECT g.glob, (SELECT count(*) FROM installed WHERE package_id LIKE g.pattern)::int AS matched,
       (SELECT count(*) FROM installed)::int AS total
     FROM unnest($2::text[], $3::text[]) AS g(glob, pattern)`,
    [orgId, patterns, patterns.map(likePattern)],
  );
  const everything = new Map(
    counts.filter((c) => c.total > 0 && c.matched === c.total).map((c) => [c.glob, c.total]),
  );
  const warnings = globs.flatMap(({ rule, glob }) => {
    const total = everything.get(glob);
    if (total === undefined) return [];
    const apps = `${total.toLocaleString('en-US')} distinct app${total === 1 ? '' : 's'}`;
    return [`blockedApps glob '${glob}' of rule ${rule} matches all ${apps} installed`];
  });
  return [...new Set(warnings)];
}

const stale = (stored: number, base: number) =>
  new ApiError(
    'conflict',
    `the compliance rules changed: revision ${stored} is stored, the request was made on ${base}; get the rules and apply again`,
    { storedRevision: stored, baseRevision: base },
  );

/**
 * The org's compliance rule set: one document replaced as a whole, numbered by revision. Reads are
 * cached per org until the stored revision changes, so a check-in costs one small query.
 */
export function createComplianceRuleSets(db: Db, devicePolicies: DevicePolicies) {
  const cache = new Map<string, { key: string; set: ComplianceRuleSet }>();

  return {
    /** The stored rule set; revision 0 with no rules before the first apply. */
    async get(orgId: string): Promise<ComplianceRuleSet> {
      const cached = cache.get(orgId);
      // The key holds the time of the writing transaction too: a revision number taken by an apply
      // that rolled back may be taken again by another with other rules.
      const row = await one<RuleSetRow & { key: string }>(
        db,
        `SELECT revision, updated_at, revision || '/' || updated_at::text AS key,
           CASE WHEN revision || '/' || updated_at::text = $2 THEN NULL ELSE rules END AS rules
         FROM compliance_rule_sets WHERE org_id = $1`,
        [orgId, cached?.key ?? null],
      );
      if (!row) return EMPTY;
      if (row.rules === null && cached) return cached.set;
      const set = { revision: row.revision, rules: row.rules ?? [], updatedAt: iso(row.updated_at) };
      cache.set(orgId, { key: row.key, set });
      return set;
    },

    /**
     * Replaces the rule set with the document's rules, all or nothing, if it is still at
     * `baseRevision` (when given). Nothing is stored when no rule changes, nor on a dry run, whose
     * `revision` is the one the apply would make.
     */
    async apply(orgId: string, request: z.output<typeof ApplyRulesRequest>): Promise<ApplyRulesResult> {
      const { rules } = request.document;
      assertValidRules(rules);
      return await db.transaction(async (tx) => {
        await tx.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [RULE_SET_LOCK, orgId]);
        const stored = await one<{ revision: number; rules: ComplianceRule[] }>(
          tx,
          'SELECT revision, rules FROM compliance_rule_sets WHERE org_id = $1',
          [orgId],
        );
        const current = stored?.revision ?? 0;
        if (request.baseRevision !== undefined && request.baseRevision !== current) {
          throw stale(current, request.baseRevision);
        }
        const diff = diffRules(stored?.rules ?? [], rules);
        const changes = diff.added.length + diff.changed.length + diff.removed.length > 0;
        const revision = changes ? current + 1 : current;
        const warnings = await warningsOf(tx, orgId, rules);
        if (changes && !request.dryRun) {
          await tx.query(
            `INSERT INTO compliance_rule_sets (org_id, revision, rules, updated_at) VALUES ($1, $2, $3, now())
             ON CONFLICT (org_id) DO UPDATE SET revision = excluded.revision, rules = excluded.rules,
               updated_at = excluded.updated_at`,
            [orgId, revision, JSON.stringify(rules)],
          );
        }
        return { revision, ...diff, warnings, dryRun: request.dryRun };
      });
    },

    /** What a policyInSync rule compares against: each group's effective policy hash, as drift does. */
    async expectedPolicies(orgId: string): Promise<ExpectedPolicies> {
      const { groups, keys, hashes, rolloutIds, rolloutWaves } = await devicePolicies.expected(orgId);
      return { groups, keys, hashes, rolloutIds, rolloutWaves };
    },
  };
}
export type ComplianceRuleSets = ReturnType<typeof createComplianceRuleSets>;
