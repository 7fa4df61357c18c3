import { randomUUID } from 'node:crypto';
import type { Queryable } from '@fleetops/server';
import pLimit from 'p-limit';

/** The upload's INSERT without its gates and drop counts: unnest arrays, the dedupe index checked. */
const RAW_INSERT = `INSERT INTO device_events (org_id, device_id, user_id, event_id, category, occurred_at, expires_at, data)
  SELECT e.org_id, e.device_id, e.user_id, e.event_id, e.category, e.occurred_at, e.expires_at, e.data::jsonb
  FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[], $5::text[], $6::timestamptz[], $7::timestamptz[], $8::text[])
    AS e(org_id, device_id, user_id, event_id, category, occurred_at, expires_at, data)
  ON CONFLICT (device_id, event_id) DO NOTHING`;

interface StoredEvent {
  org_id: string;
  device_id: string;
  user_id: string | null;
  category: string;
  occurred_at: string;
  expires_at: string;
  data: string;
}

/**
 * The store's own ceiling for what an upload does: the last `rows` events stored are written
 * again (new event ids, the same devices, categories and data) with one plain INSERT … SELECT
 * FROM unnest(…) per `batch` rows, `concurrency` statements at a time. Returns the milliseconds
 * the INSERTs took, nothing else.
 */
export async function rawInsertEvents(
  db: Queryable,
  rows: number,
  batch: number,
  concurrency: number,
): Promise<number> {
  const stored = await db.query<StoredEvent>(
    `SELECT org_id, device_id, user_id, category, occurred_at::text AS occurred_at,
            expires_at::text AS expires_at, data::text AS data
     FROM device_events WHERE device_id IS NOT NULL ORDER BY id DESC LIMIT $1`,
    [rows],
  );
  if (stored.length < rows) throw new Error(`the store holds ${stored.length} events, not ${rows}`);
  const batches: unknown[][] = [];
  for (let from = 0; from < rows; from += batch) {
    const events = stored.slice(from, from + batch);
    batches.push([
      events.map((e) => e.org_id),
      events.map((e) => e.device_id),
      events.map((e) => e.user_id),
      events.map(() => randomUUID()),
      events.map((e) => e.category),
      events.map((e) => e.occurred_at),
      events.map((e) => e.expires_at),
      events.map((e) => e.data),
    ]);
  }
  const limit = pLimit(concurrency);
  const start = performance.now();
  await Promise.all(batches.map((params) => limit(() => db.query(RAW_INSERT, params))));
  return performance.now() - start;
}
