import type { RetentionRunResult } from '@fleetops/protocol';
import type { Queryable } from '../../store/db';
import { ANONYMIZE_SET } from './anonymize';

/** Rows one retention statement handles: short locks, bounded work per statement. */
export const RETENTION_BATCH_SIZE = 5000;

/**
 * One batch of events past their retention, deleted or anonymized as their org's settings say.
 * SKIP LOCKED lets several servers run passes at once: each row is handled by one of them, and a
 * row another pass already handled no longer qualifies when it is re-checked.
 */
const BATCH_SQL = `WITH due AS (
    SELECT e.id, o.retention_action FROM device_events e JOIN orgs o ON o.id = e.org_id
    WHERE e.expires_at < now() AND e.anonymized_at IS NULL AND ($1::uuid IS NULL OR e.org_id = $1)
    ORDER BY e.expires_at LIMIT $2
    FOR UPDATE OF e SKIP LOCKED
  ), deleted AS (
    DELETE FROM device_events e USING due
    WHERE e.id = due.id AND due.retention_action = 'delete' RETURNING 1
  ), anonymized AS (
    UPDATE device_events e SET ${ANONYMIZE_SET} FROM due
    WHERE e.id = due.id AND due.retention_action = 'anonymize' RETURNING 1
  )
  SELECT (SELECT count(*) FROM deleted)::int AS deleted, (SELECT count(*) FROM anonymized)::int AS anonymized`;

/** A retention pass over one org, or every org when none is given; batch by batch until none is due. */
export async function runRetention(
  q: Queryable,
  orgId: string | null = null,
  batchSize = RETENTION_BATCH_SIZE,
): Promise<RetentionRunResult> {
  const total = { deleted: 0, anonymized: 0 };
  for (;;) {
    const [batch] = await q.query<RetentionRunResult>(BATCH_SQL, [orgId, batchSize]);
    total.deleted += batch!.deleted;
    total.anonymized += batch!.anonymized;
    if (batch!.deleted + batch!.anonymized < batchSize) return total;
  }
}
