import type { ComplianceHistory, ComplianceHistoryQuery } from '@fleetops/protocol';
import type { z } from 'zod';
import type { Queryable } from '../../store/db';
import { iso } from '../../store/time';
import { complianceRate, type ScanRow } from './scans';

type Point = Pick<
  ScanRow,
  'id' | 'started_at' | 'device_count' | 'noncompliant_count' | 'devices_by_severity'
>;

/** Compliance over time: one point per scan of the whole fleet (a scan with `where` is left out), oldest first. */
export async function complianceHistory(
  q: Queryable,
  orgId: string,
  query: z.output<typeof ComplianceHistoryQuery>,
): Promise<ComplianceHistory> {
  const rows = await q.query<Point>(
    `SELECT id, started_at, device_count, noncompliant_count, devices_by_severity FROM compliance_scans
     WHERE org_id = $1 AND selector IS NULL
       AND ($2::timestamptz IS NULL OR started_at >= $2) AND ($3::timestamptz IS NULL OR started_at < $3)
     ORDER BY id`,
    [orgId, query.since ?? null, query.until ?? null],
  );
  return {
    points: rows.map((row) => ({
      scanId: row.id,
      at: iso(row.started_at),
      deviceCount: row.device_count,
      nonCompliantCount: row.noncompliant_count,
      complianceRate: complianceRate(row.device_count, row.noncompliant_count),
      devicesBySeverity: row.devices_by_severity,
    })),
  };
}
