import {
  type ComplianceResult,
  type ComplianceResultsQuery,
  type ComplianceRule,
  type ComplianceScan,
  type ManagementMode,
  type Os,
  type PageOf,
  type ScanListQuery,
  SEVERITY_RANK,
  Severity,
  type SeverityCounts,
  type ViolationEvidence,
} from '@fleetops/protocol';
import type { z } from 'zod';
import { ApiError, notFound } from '../../errors';
import { parseWhere } from '../../selector-sql';
import { decodeCursor, toPage } from '../../store/cursor';
import { type Db, one, type Queryable } from '../../store/db';
import { uuidv7 } from '../../store/ids';
import { iso } from '../../store/time';
import {
  compileRules,
  compileScope,
  type EvaluationScope,
  type ExpectedPolicies,
  planWithoutJit,
} from './evaluate';
import { lockForScan, recordTransitions } from './events';
import { nextStep, stepsTakenSql } from './remediate';

export interface ScanRow {
  id: string;
  started_at: Date;
  finished_at: Date;
  selector: string | null;
  rules_revision: number;
  device_count: number;
  noncompliant_count: number;
  violation_count: number;
  devices_by_severity: SeverityCounts;
  by_rule: ComplianceScan['byRule'];
  by_group: ComplianceScan['byGroup'];
}

/** Compliant devices over devices: an empty fleet is wholly compliant. */
export const complianceRate = (devices: number, nonCompliant: number) =>
  devices === 0 ? 1 : (devices - nonCompliant) / devices;

export const toScan = (row: ScanRow): ComplianceScan => ({
  id: row.id,
  startedAt: iso(row.started_at),
  finishedAt: iso(row.finished_at),
  where: row.selector,
  rulesRevision: row.rules_revision,
  deviceCount: row.device_count,
  nonCompliantCount: row.noncompliant_count,
  complianceRate: complianceRate(row.device_count, row.noncompliant_count),
  violationCount: row.violation_count,
  devicesBySeverity: row.devices_by_severity,
  byRule: row.by_rule,
  byGroup: row.by_group,
});

/** The rules a scan evaluates, at their revision, and what policyInSync compares against. */
export interface ScanRules {
  revision: number;
  rules: readonly ComplianceRule[];
  expected: ExpectedPolicies;
}

/**
 * Evaluates the rules over the org's active devices (those matching `where` when given) in the
 * caller's transaction: one set-based evaluation stored as the scan's results, the standing
 * violations of the scanned devices brought up to date with their events, and the scan's counts.
 */
export async function runScan(
  q: Queryable,
  db: Db,
  input: { orgId: string; where?: string | undefined; rules: ScanRules },
): Promise<ComplianceScan> {
  const { orgId, where, rules } = input;
  if (where !== undefined) parseWhere(where, 'body.where');
  const scope: EvaluationScope = { orgId, ...(where !== undefined && { where }) };
  await lockForScan(q, orgId);
  const scanId = uuidv7();
  const empty: SeverityCounts = { low: 0, medium: 0, high: 0, critical: 0 };
  await q.query(
    `INSERT INTO compliance_scans (id, org_id, started_at, finished_at, selector, rules_revision, device_count,
       noncompliant_count, violation_count, devices_by_severity, by_rule, by_group)
     VALUES ($1, $2, now(), now(), $3, $4, 0, 0, 0, $5, '[]', '[]')`,
    [scanId, orgId, where ?? null, rules.revision, empty],
  );

  const found = compileRules(rules.rules, scope, rules.expected, 2);
  await planWithoutJit(q);
  await q.query(
    `INSERT INTO compliance_results (scan_id, device_id, rule, severity, severity_rank, evidence, since)
     SELECT $1, f.device_id, f.rule, f.severity, f.severity_rank, f.evidence, coalesce(v.since, now())
     FROM (${found.sql}) f
     LEFT JOIN compliance_violations v ON v.device_id = f.device_id AND v.rule = f.rule`,
    [scanId, ...found.params],
  );

  const transitions = await recordTransitions(q, {
    db,
    orgId,
    source: 'scan',
    found: (first) => ({
      sql: `SELECT device_id, rule, severity, evidence FROM compliance_results WHERE scan_id = $${first}`,
      params: [scanId],
    }),
    scope: (first) => compileScope(scope, first),
  });

  const scoped = compileScope(scope, 2);
  const groups = await q.query<{
    group: string;
    devices: number;
    non_compliant: number;
    low: number;
    medium: number;
    high: number;
    critical: number;
  }>(
    `WITH scope AS (${scoped.sql}),
     worst AS (SELECT device_id, max(severity_rank) AS rank FROM compliance_results WHERE scan_id = $1 GROUP BY device_id)
     SELECT s.group_name AS group, count(*)::int AS devices, count(w.device_id)::int AS non_compliant,
       ${Severity.options
         .map((severity) => `count(*) FILTER (WHERE w.rank = ${SEVERITY_RANK[severity]})::int AS ${severity}`)
         .join(', ')}
     FROM scope s LEFT JOIN worst w ON w.device_id = s.id
     GROUP BY s.group_name ORDER BY non_compliant DESC, s.group_name`,
    [scanId, ...scoped.params],
  );
  const perRule = await q.query<{ rule: string; devices: number }>(
    'SELECT rule, count(*)::int AS devices FROM compliance_results WHERE scan_id = $1 GROUP BY rule',
    [scanId],
  );

  const bySeverity = { ...empty };
  let devices = 0;
  let nonCompliant = 0;
  for (const group of groups) {
    devices += group.devices;
    nonCompliant += group.non_compliant;
    for (const severity of Severity.options) bySeverity[severity] += group[severity];
  }
  const brokenBy = new Map(perRule.map((row) => [row.rule, row.devices]));
  const byRule = rules.rules
    .map((rule) => ({
      rule: rule.name,
      severity: rule.severity,
      devices: brokenBy.get(rule.name) ?? 0,
      newDevices: transitions.began.get(rule.name) ?? 0,
    }))
    .sort(
      (a, b) =>
        b.devices - a.devices ||
        SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] ||
        a.rule.localeCompare(b.rule),
    );
  const row = await one<ScanRow>(
    q,
    `UPDATE compliance_scans SET finished_at = clock_timestamp(), device_count = $2, noncompliant_count = $3,
       violation_count = $4, devices_by_severity = $5, by_rule = $6, by_group = $7
     WHERE id = $1 RETURNING *`,
    [
      scanId,
      devices,
      nonCompliant,
      perRule.reduce((sum, rule) => sum + rule.devices, 0),
      bySeverity,
      JSON.stringify(byRule),
      JSON.stringify(
        groups.map((group) => ({
          group: group.group,
          devices: group.devices,
          nonCompliant: group.non_compliant,
        })),
      ),
    ],
  );
  return toScan(row!);
}

/** The scan with this id, or the org's latest for `latest`. */
export async function readScan(q: Queryable, orgId: string, id: string): Promise<ScanRow> {
  if (id === 'latest') {
    const latest = await one<ScanRow>(
      q,
      'SELECT * FROM compliance_scans WHERE org_id = $1 ORDER BY id DESC LIMIT 1',
      [orgId],
    );
    if (!latest) {
      throw new ApiError('not_found', 'no compliance scan yet: start one (fleetops compliance scan)');
    }
    return latest;
  }
  const row = await one<ScanRow>(q, 'SELECT * FROM compliance_scans WHERE org_id = $1 AND id = $2', [
    orgId,
    id,
  ]);
  if (!row) throw notFound('compliance scan', id);
  return row;
}

/** The org's scans, newest first. */
export async function listScans(
  q: Queryable,
  orgId: string,
  query: z.output<typeof ScanListQuery>,
): Promise<PageOf<ComplianceScan>> {
  const rows = await q.query<ScanRow>(
    `SELECT * FROM compliance_scans
     WHERE org_id = $1 AND ($2::uuid IS NULL OR id < $2)
       AND ($3::timestamptz IS NULL OR started_at >= $3) AND ($4::timestamptz IS NULL OR started_at < $4)
     ORDER BY id DESC LIMIT $5`,
    [orgId, decodeCursor(query.cursor) ?? null, query.since ?? null, query.until ?? null, query.limit + 1],
  );
  return toPage(rows, query.limit, toScan);
}

interface ResultRow {
  device_id: string;
  rule: string;
  severity: ComplianceResult['severity'];
  severity_rank: number;
  evidence: ViolationEvidence;
  since: Date;
  serial: string | null;
  model: string | null;
  os: Os | null;
  os_version: string | null;
  group_name: string;
  mode: ManagementMode;
  taken: string[];
}

/** A results cursor: the keyset position (severity rank, device, rule) of the last row. */
const RESULT_KEY =
  /^[1-4] [0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12} [a-z0-9][a-z0-9-]{0,62}$/;
const resultKey = (row: ResultRow) => `${row.severity_rank} ${row.device_id} ${row.rule}`;

/**
 * The violations a scan found, worst first (then by device and rule), each with the next step
 * of its rule's escalation ladder as it stands now.
 */
export async function listResults(
  q: Queryable,
  orgId: string,
  id: string,
  query: z.output<typeof ComplianceResultsQuery>,
  rules: readonly ComplianceRule[],
): Promise<PageOf<ComplianceResult>> {
  const scan = await readScan(q, orgId, id);
  const after = decodeCursor(query.cursor, RESULT_KEY)?.split(' ');
  const rows = await q.query<ResultRow>(
    `SELECT r.device_id, r.rule, r.severity, r.severity_rank, r.evidence, r.since, d.serial, d.model, d.os,
       d.facts ->> 'osVersion' AS os_version, d.group_name, d.mode,
       ${stepsTakenSql('r', 'r.evidence')} AS taken
     FROM compliance_results r JOIN devices d ON d.id = r.device_id
     WHERE r.scan_id = $1
       AND ($2::smallint IS NULL OR r.severity_rank < $2
            OR (r.severity_rank = $2 AND (r.device_id, r.rule) > ($3::uuid, $4::text)))
       AND ($5::smallint IS NULL OR r.severity_rank >= $5)
       AND ($6::text IS NULL OR r.rule = $6) AND ($7::uuid IS NULL OR r.device_id = $7)
     ORDER BY r.severity_rank DESC, r.device_id, r.rule LIMIT $8`,
    [
      scan.id,
      after ? Number(after[0]) : null,
      after?.[1] ?? null,
      after?.[2] ?? null,
      query.severity ? SEVERITY_RANK[query.severity] : null,
      query.rule ?? null,
      query.deviceId ?? null,
      query.limit + 1,
    ],
  );
  const byName = new Map(rules.map((rule) => [rule.name, rule]));
  return toPage(
    rows,
    query.limit,
    (row): ComplianceResult => ({
      scanId: scan.id,
      deviceId: row.device_id,
      serial: row.serial,
      model: row.model,
      os: row.os,
      osVersion: row.os_version,
      group: row.group_name,
      mode: row.mode,
      rule: row.rule,
      severity: row.severity,
      evidence: row.evidence,
      since: iso(row.since),
      nextStep: nextStep(byName.get(row.rule), row),
    }),
    resultKey,
  );
}
