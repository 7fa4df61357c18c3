import type { ActivityEntry, ActivityQuery, PageOf } from '@fleetops/protocol';
import type { z } from 'zod';
import { BIGINT_ID, decodeCursor, toPage } from '../../store/cursor';
import type { Queryable } from '../../store/db';
import { ACTIVITY_COLUMNS, type ActivityRow, rowToActivityEntry } from './rows';

/** One page of an org's activity, oldest first (keyset by seq); every filter given must hold. */
export async function listActivity(
  q: Queryable,
  orgId: string,
  query: z.output<typeof ActivityQuery>,
): Promise<PageOf<ActivityEntry>> {
  const rows = await q.query<ActivityRow>(
    `SELECT ${ACTIVITY_COLUMNS} FROM activity_log
     WHERE org_id = $1 AND ($2::bigint IS NULL OR seq > $2)
       AND ($3::text IS NULL OR token_name = $3 OR token_id::text = $3)
       AND ($4::text IS NULL OR action = $4 OR (right($4, 1) = '.' AND starts_with(action, $4)))
       AND ($5::text IS NULL OR target_id = $5)
       AND ($6::timestamptz IS NULL OR at >= $6)
       AND ($7::timestamptz IS NULL OR at < $7)
     ORDER BY seq LIMIT $8`,
    [
      orgId,
      decodeCursor(query.cursor, BIGINT_ID) ?? null,
      query.actor ?? null,
      query.action ?? null,
      query.targetId ?? null,
      query.since ?? null,
      query.until ?? null,
      query.limit + 1,
    ],
  );
  return toPage(rows, query.limit, rowToActivityEntry, (row) => String(row.seq));
}
