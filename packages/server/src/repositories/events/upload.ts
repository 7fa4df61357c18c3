import type { AuditCategory, DropReason, UploadEventsReport } from '@fleetops/protocol';
import type { Db } from '../../store/db';
import type { DevicePrincipal } from '../devices';
import { type Collections, dropReason } from './collection';
import { type ValidEvent, validateBatch } from './validate';
import { asUpload } from './visible';

/**
 * Stores the events and counts the drops of one batch in one statement: the events with unnest
 * arrays (a re-sent event is skipped by the dedupe index), the drops added to the device's counts.
 */
const STORE_SQL = `WITH stored AS (
    INSERT INTO device_events (org_id, device_id, user_id, event_id, category, occurred_at, expires_at, data)
    SELECT $1, $2, $3, e.event_id, e.category, e.occurred_at, now() + e.retention_seconds * interval '1 second',
      e.data::jsonb
    FROM unnest($4::uuid[], $5::text[], $6::timestamptz[], $7::bigint[], $8::text[])
      AS e(event_id, category, occurred_at, retention_seconds, data)
    ON CONFLICT (device_id, event_id) DO NOTHING
    RETURNING 1
  ), drops AS (
    INSERT INTO device_event_drops (device_id, category, reason, count, last_at)
    SELECT $2, d.category, d.reason, d.count, now()
    FROM unnest($9::text[], $10::text[], $11::bigint[]) AS d(category, reason, count)
    ON CONFLICT (device_id, category, reason)
    DO UPDATE SET count = device_event_drops.count + excluded.count, last_at = excluded.last_at
  )
  SELECT count(*)::int AS stored FROM stored`;

/**
 * Takes one uploaded batch: each item validated alone, each valid event through the policy gate
 * then the consent gate, the rest stored. A batch costs a fixed number of queries: the device's
 * collection (two, three during a rollout) and one write, which on PostgreSQL holds the uploads'
 * lock (see visible.ts) until it commits.
 */
export async function uploadEvents(
  db: Db,
  collections: Collections,
  device: DevicePrincipal,
  items: readonly unknown[],
): Promise<UploadEventsReport> {
  const { valid, rejected } = validateBatch(items);
  const report: UploadEventsReport = { accepted: 0, duplicates: 0, dropped: [], rejected };
  if (valid.length === 0) return report;

  const collection = await collections(device.orgId, device.id);
  const kept: ValidEvent[] = [];
  const drops = new Map<string, { category: AuditCategory; reason: DropReason; count: number }>();
  for (const event of valid) {
    const reason = dropReason(collection.categories[event.category]);
    if (reason === null) {
      kept.push(event);
      continue;
    }
    const key = `${event.category}/${reason}`;
    const drop = drops.get(key) ?? { category: event.category, reason, count: 0 };
    drop.count += 1;
    drops.set(key, drop);
  }
  report.dropped = [...drops.values()];

  const [row] = await asUpload(db, device.orgId, (q) =>
    q.query<{ stored: number }>(STORE_SQL, [
      device.orgId,
      device.id,
      collection.ownerId,
      kept.map((e) => e.eventId),
      kept.map((e) => e.category),
      kept.map((e) => e.occurredAt),
      kept.map((e) => collection.categories[e.category].retentionSeconds),
      kept.map((e) => JSON.stringify(e.data)),
      report.dropped.map((d) => d.category),
      report.dropped.map((d) => d.reason),
      report.dropped.map((d) => d.count),
    ]),
  );
  report.accepted = row!.stored;
  report.duplicates = kept.length - report.accepted;
  return report;
}
