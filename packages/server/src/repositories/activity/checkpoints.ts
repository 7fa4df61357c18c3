import type { ActivityCheckpoint, PageOf } from '@fleetops/protocol';
import { decodeCursor, toPage } from '../../store/cursor';
import { type Db, one, type Queryable } from '../../store/db';
import type { CommandSigningKeyPair } from '../orgs';
import { chainHead, lockChain } from './append';
import { signCheckpoint } from './hash';
import { CHECKPOINT_COLUMNS, type CheckpointRow, rowToCheckpoint } from './rows';

/** An org's head is signed at most this often. */
export const CHECKPOINT_INTERVAL_MS = 60_000;

export async function latestCheckpoint(q: Queryable, orgId: string): Promise<ActivityCheckpoint | undefined> {
  const row = await one<CheckpointRow>(
    q,
    `SELECT ${CHECKPOINT_COLUMNS} FROM activity_checkpoints WHERE org_id = $1 ORDER BY number DESC LIMIT 1`,
    [orgId],
  );
  return row && rowToCheckpoint(row);
}

/** One page of an org's checkpoints, oldest first. */
export async function listCheckpoints(
  q: Queryable,
  orgId: string,
  limit: number,
  cursor?: string,
): Promise<PageOf<ActivityCheckpoint>> {
  const rows = await q.query<CheckpointRow>(
    `SELECT ${CHECKPOINT_COLUMNS} FROM activity_checkpoints
     WHERE org_id = $1 AND ($2::int IS NULL OR number > $2) ORDER BY number LIMIT $3`,
    [orgId, decodeCursor(cursor, /^\d{1,9}$/) ?? null, limit + 1],
  );
  return toPage(rows, limit, rowToCheckpoint, (row) => String(row.number));
}

/**
 * Signs the org's head as its next checkpoint when the head moved since the last one and that
 * one is at least {@link CHECKPOINT_INTERVAL_MS} old; returns it, or undefined when none was due.
 * Under the chain's lock, so replicas doing the same at once write it once.
 */
export function writeCheckpoint(
  db: Db,
  orgId: string,
  keys: CommandSigningKeyPair,
): Promise<ActivityCheckpoint | undefined> {
  return db.transaction(async (tx) => {
    await lockChain(tx, orgId);
    const head = await chainHead(tx, orgId);
    const last = await latestCheckpoint(tx, orgId);
    if (!head || (last && head.seq <= last.seq)) return undefined;
    const now = new Date();
    if (last && now.getTime() - Date.parse(last.at) < CHECKPOINT_INTERVAL_MS) return undefined;
    const fields = { number: (last?.number ?? 0) + 1, seq: head.seq, hash: head.hash, at: now.toISOString() };
    const signature = signCheckpoint(keys.privateKey, { orgId, ...fields });
    await tx.query(
      `INSERT INTO activity_checkpoints (org_id, number, seq, hash, at, signature)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [orgId, fields.number, fields.seq, fields.hash, fields.at, signature],
    );
    return { ...fields, signature };
  });
}

/** Orgs whose head moved since their last checkpoint, and whose last one is old enough. */
export async function orgsDueForCheckpoint(q: Queryable): Promise<string[]> {
  const rows = await q.query<{ id: string }>(
    `SELECT o.id FROM orgs o
     CROSS JOIN LATERAL (SELECT seq FROM activity_log WHERE org_id = o.id ORDER BY seq DESC LIMIT 1) h
     LEFT JOIN LATERAL (
       SELECT seq, at FROM activity_checkpoints WHERE org_id = o.id ORDER BY number DESC LIMIT 1
     ) c ON true
     WHERE c.seq IS NULL OR (h.seq > c.seq AND c.at <= $1::timestamptz)`,
    [new Date(Date.now() - CHECKPOINT_INTERVAL_MS).toISOString()],
  );
  return rows.map((row) => row.id);
}
