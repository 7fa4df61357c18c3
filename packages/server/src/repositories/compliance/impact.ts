import {
  type ComplianceImpact,
  type ComplianceRule,
  RemediationAction,
  SEVERITY_RANK,
} from '@fleetops/protocol';
import { one, type Queryable } from '../../store/db';
import { compileRules, compileScope, type ExpectedPolicies } from './evaluate';
import { ladderOf, stepsTakenSql } from './remediate';

type ActionCounts = Record<RemediationAction, number>;

interface ImpactRow extends ActionCounts {
  rule: string | null;
  devices: number;
  new_devices: number;
  become_non_compliant: number;
  would_lock: number;
  would_wipe: number;
}

/** A column alias for an action: `remove-app` is not a bare SQL name. */
const alias = (action: RemediationAction) => `"${action}"`;

/**
 * What a rules document (not stored) would do to the org's active devices: evaluated once, set
 * based, against the standing violations. A device's step counts as reaching it unless that
 * step was already taken for the violation it has now.
 */
export async function impactOf(
  q: Queryable,
  input: { orgId: string; rules: readonly ComplianceRule[]; expected: ExpectedPolicies },
): Promise<ComplianceImpact> {
  const { orgId, rules } = input;
  const scope = { orgId };
  const stepRules = (action: RemediationAction) =>
    rules.filter((rule) => ladderOf(rule).some((step) => step.action === action)).map((rule) => rule.name);
  const found = compileRules(rules, scope, input.expected, 3);
  const scoped = compileScope(scope, 3 + found.params.length);
  const rows = await q.query<ImpactRow>(
    `WITH found AS (${found.sql}),
     scope AS (${scoped.sql}),
     standing AS (
       SELECT v.device_id, v.rule, v.since FROM compliance_violations v JOIN scope s ON s.id = v.device_id
     ),
     f AS (
       SELECT f.device_id, f.rule, n.since IS NULL AS new_violation,
         NOT EXISTS (SELECT 1 FROM standing o WHERE o.device_id = f.device_id) AS new_device,
         ${stepsTakenSql('n', 'f.evidence')} AS taken
       FROM found f LEFT JOIN standing n ON n.device_id = f.device_id AND n.rule = f.rule
     )
     SELECT rule, count(DISTINCT device_id)::int AS devices,
       count(*) FILTER (WHERE new_violation)::int AS new_devices,
       count(DISTINCT device_id) FILTER (WHERE new_device)::int AS become_non_compliant,
       count(DISTINCT device_id) FILTER (WHERE rule = ANY($1::text[]) AND NOT 'lock' = ANY(taken))::int AS would_lock,
       count(DISTINCT device_id) FILTER (WHERE rule = ANY($2::text[]) AND NOT 'wipe' = ANY(taken))::int AS would_wipe,
       ${RemediationAction.options
         .map((action) => `count(*) FILTER (WHERE NOT '${action}' = ANY(taken))::int AS ${alias(action)}`)
         .join(', ')}
     FROM f GROUP BY GROUPING SETS ((rule), ())`,
    [stepRules('lock'), stepRules('wipe'), ...found.params, ...scoped.params],
  );
  const totals = rows.find((row) => row.rule === null);
  const byName = new Map(rows.filter((row) => row.rule !== null).map((row) => [row.rule, row]));
  const whole = compileScope(scope, 1);
  const counts = await one<{ devices: number; non_compliant: number }>(
    q,
    `WITH scope AS (${whole.sql})
     SELECT count(*)::int AS devices,
       (SELECT count(DISTINCT v.device_id)::int FROM compliance_violations v JOIN scope s ON s.id = v.device_id)
         AS non_compliant
     FROM scope`,
    whole.params,
  );
  return {
    deviceCount: counts!.devices,
    nonCompliantNow: counts!.non_compliant,
    nonCompliantAfter: totals?.devices ?? 0,
    becomeNonCompliant: totals?.become_non_compliant ?? 0,
    byRule: rules
      .map((rule) => {
        const row = byName.get(rule.name);
        return {
          rule: rule.name,
          severity: rule.severity,
          devices: row?.devices ?? 0,
          newDevices: row?.new_devices ?? 0,
          actions: ladderOf(rule).map((step) => ({
            action: step.action,
            after: step.after,
            devices: row?.[step.action] ?? 0,
          })),
        };
      })
      .sort(
        (a, b) =>
          b.devices - a.devices ||
          SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] ||
          a.rule.localeCompare(b.rule),
      ),
    wouldLock: totals?.would_lock ?? 0,
    wouldWipe: totals?.would_wipe ?? 0,
  };
}
