import type { Db, Queryable } from '../../store/db';

/**
 * Event ids are taken at insert, so on PostgreSQL an upload can commit after another that took
 * higher ids: a reader that saw the higher ids and went on after them would miss it for good.
 * Uploads hold this lock of their org shared until they commit; a reader takes it alone for a
 * moment (waiting for the uploads under way) and reads the highest id then stored, its
 * high-water mark: every upload with an id up to it has committed, and later ones take higher
 * ids. The embedded store has one connection, so its uploads commit in id order.
 */
export const UPLOADS_LOCK = 7412007;

/** Runs `insert` as an upload of the org's events: on PostgreSQL holding the uploads' lock shared. */
export function asUpload<T>(db: Db, orgId: string, insert: (q: Queryable) => Promise<T>): Promise<T> {
  if (db.dialect !== 'postgres') return insert(db);
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock_shared($1, hashtext($2))', [UPLOADS_LOCK, orgId]);
    return insert(tx);
  });
}

/**
 * The highest event id of the org below which no upload is still under way, on PostgreSQL; a
 * reader keeps to ids up to it. Undefined on the embedded store, where nothing is left behind.
 */
export async function visibleUpTo(db: Db, orgId: string): Promise<string | undefined> {
  if (db.dialect !== 'postgres') return undefined;
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [UPLOADS_LOCK, orgId]);
    const [row] = await tx.query<{ id: string }>(
      'SELECT coalesce(max(id), 0)::text AS id FROM device_events WHERE org_id = $1',
      [orgId],
    );
    return row!.id;
  });
}
