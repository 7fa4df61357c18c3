import type {
  ComplianceEvent,
  ComplianceEventQuery,
  ComplianceEventType,
  PageOf,
  Severity,
  ViolationEvidence,
} from '@fleetops/protocol';
import type { z } from 'zod';
import { BIGINT_ID, decodeCursor, toPage } from '../../store/cursor';
import type { Db, Queryable } from '../../store/db';
import { iso } from '../../store/time';
import type { CompiledQuery } from './evaluate';

/**
 * Event ids are taken at insert, so on PostgreSQL a scan can commit after a check-in that took
 * higher ids: a reader gone on past those would miss the scan's events for good. Writers hold
 * this lock of their org shared until they commit; a reader takes it alone for a moment and keeps
 * to the ids stored then (as device events do, see events/visible.ts).
 */
const EVENT_WRITERS_LOCK = 7412011;

/**
 * A scan evaluates its org's devices alone, so that a violation never begins twice: it waits for
 * the check-in evaluations under way, and a check-in's evaluation waits for the scan.
 */
const EVALUATION_LOCK = 7412014;

/**
 * How long a check-in's evaluation waits for a scan of its org (or for any other lock) before it
 * gives up: the device is then evaluated at its next check-in.
 */
const CHECK_IN_LOCK_TIMEOUT = '10s';

/** Holds the org's evaluations for a scan, until the transaction ends. */
export async function lockForScan(q: Queryable, orgId: string): Promise<void> {
  await q.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [EVALUATION_LOCK, orgId]);
}

/**
 * Waits until no scan of the org runs, and keeps scans out until the transaction ends; other
 * check-ins go on alongside. The statements after it read what the scan committed.
 */
export async function lockForCheckIn(q: Queryable, orgId: string): Promise<void> {
  await q.query(`SET LOCAL lock_timeout = '${CHECK_IN_LOCK_TIMEOUT}'`);
  await q.query('SELECT pg_advisory_xact_lock_shared($1, hashtext($2))', [EVALUATION_LOCK, orgId]);
}

/** What started an evaluation whose changes are recorded. */
export type EvaluationSource = ComplianceEvent['source'];

/** A query numbered from the parameter it is given. */
export type QueryFrom = (firstParam: number) => CompiledQuery;

/** Violations that began and ended in one evaluation, per rule. */
export interface Transitions {
  began: Map<string, number>;
  ended: Map<string, number>;
}

/**
 * Brings the standing violations of the evaluated devices to what the evaluation found, in one
 * statement: a violation that persists keeps its `since`, a new one begins now with a
 * `device.noncompliant` event, and one of an evaluated device no longer found ends with a
 * `device.compliant` event. `found` yields `device_id, rule, severity, evidence`; `scope` the
 * evaluated devices' `id`.
 */
export async function recordTransitions(
  q: Queryable,
  input: { db: Db; orgId: string; source: EvaluationSource; found: QueryFrom; scope: QueryFrom },
): Promise<Transitions> {
  if (input.db.dialect === 'postgres') {
    await q.query('SELECT pg_advisory_xact_lock_shared($1, hashtext($2))', [EVENT_WRITERS_LOCK, input.orgId]);
  }
  const found = input.found(3);
  const scope = input.scope(3 + found.params.length);
  const rows = await q.query<{ type: ComplianceEventType; rule: string; n: number }>(
    `WITH found AS (${found.sql}),
     scope AS (${scope.sql}),
     began AS (
       SELECT f.device_id, f.rule, f.severity, f.evidence FROM found f
       WHERE NOT EXISTS (SELECT 1 FROM compliance_violations v WHERE v.device_id = f.device_id AND v.rule = f.rule)
     ),
     kept AS (
       INSERT INTO compliance_violations (org_id, device_id, rule, severity, evidence, since)
       SELECT $1, device_id, rule, severity, evidence, now() FROM found
       ON CONFLICT (device_id, rule) DO UPDATE
         SET severity = excluded.severity, evidence = excluded.evidence
         -- A violation found as it was is left alone: most of a fleet's violations persist.
         WHERE (compliance_violations.severity, compliance_violations.evidence)
           IS DISTINCT FROM (excluded.severity, excluded.evidence)
     ),
     ended AS (
       DELETE FROM compliance_violations v USING scope s
       WHERE v.device_id = s.id
         AND NOT EXISTS (SELECT 1 FROM found f WHERE f.device_id = v.device_id AND f.rule = v.rule)
       RETURNING v.device_id, v.rule, v.severity, v.evidence
     ),
     recorded AS (
       INSERT INTO compliance_events (org_id, type, at, device_id, rule, severity, source, evidence)
       SELECT $1, t.type, now(), t.device_id, t.rule, t.severity, $2, t.evidence
       FROM (SELECT 'device.noncompliant' AS type, * FROM began
             UNION ALL SELECT 'device.compliant' AS type, * FROM ended) t
       ORDER BY t.device_id, t.rule
       RETURNING type, rule
     )
     SELECT type, rule, count(*)::int AS n FROM recorded GROUP BY type, rule`,
    [input.orgId, input.source, ...found.params, ...scope.params],
  );
  const transitions: Transitions = { began: new Map(), ended: new Map() };
  for (const row of rows) {
    (row.type === 'device.noncompliant' ? transitions.began : transitions.ended).set(row.rule, row.n);
  }
  return transitions;
}

interface EventRow {
  id: string;
  type: ComplianceEventType;
  at: Date;
  device_id: string;
  rule: string;
  severity: Severity;
  source: EvaluationSource;
  evidence: ViolationEvidence;
}

const toEvent = (row: EventRow): ComplianceEvent => ({
  id: row.id,
  type: row.type,
  at: iso(row.at),
  deviceId: row.device_id,
  rule: row.rule,
  severity: row.severity,
  source: row.source,
  evidence: row.evidence,
});

/** The highest event id of the org below which no writer is still under way (PostgreSQL only). */
async function visibleUpTo(db: Db, orgId: string): Promise<string | null> {
  if (db.dialect !== 'postgres') return null;
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [EVENT_WRITERS_LOCK, orgId]);
    const [row] = await tx.query<{ id: string }>(
      'SELECT coalesce(max(id), 0)::text AS id FROM compliance_events WHERE org_id = $1',
      [orgId],
    );
    return row!.id;
  });
}

/** One page of the org's compliance events that pass the filters, oldest first. */
export async function listEvents(
  db: Db,
  orgId: string,
  query: z.output<typeof ComplianceEventQuery>,
): Promise<PageOf<ComplianceEvent>> {
  const after = decodeCursor(query.cursor, BIGINT_ID) ?? null;
  const rows = await db.query<EventRow>(
    `SELECT id::text AS id, type, at, device_id, rule, severity, source, evidence FROM compliance_events
     WHERE org_id = $1 AND ($2::bigint IS NULL OR id > $2) AND ($3::bigint IS NULL OR id <= $3)
       AND ($4::text IS NULL OR type = $4) AND ($5::uuid IS NULL OR device_id = $5)
       AND ($6::text IS NULL OR rule = $6) AND ($7::timestamptz IS NULL OR at >= $7)
     ORDER BY compliance_events.id LIMIT $8`,
    [
      orgId,
      after,
      await visibleUpTo(db, orgId),
      query.type ?? null,
      query.deviceId ?? null,
      query.rule ?? null,
      query.since ?? null,
      query.limit + 1,
    ],
  );
  return toPage(rows, query.limit, toEvent);
}
