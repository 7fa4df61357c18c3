import type { ActivityEntry } from '@fleetops/protocol';
import { type Db, one, type Queryable } from '../../store/db';
import { entryHash, GENESIS_HASH } from './hash';

/** What a caller records; the log adds its position, time and links. */
export type ActivityInput = Pick<
  ActivityEntry,
  'actor' | 'ip' | 'requestId' | 'action' | 'target' | 'changes' | 'context'
>;

/** Taken by whoever extends an org's chain (appends, checkpoints), until its transaction ends. */
export async function lockChain(tx: Queryable, orgId: string): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock(7412006, hashtext($1))', [orgId]);
}

/** The last entry of an org's log, or undefined while it is empty. */
export async function chainHead(
  q: Queryable,
  orgId: string,
): Promise<{ seq: number; hash: string } | undefined> {
  const row = await one<{ seq: string | number; hash: string }>(
    q,
    'SELECT seq, hash FROM activity_log WHERE org_id = $1 ORDER BY seq DESC LIMIT 1',
    [orgId],
  );
  return row && { seq: Number(row.seq), hash: row.hash };
}

/** Round-trips through JSON, so that what is hashed is exactly what jsonb gives back. */
const asStored = <T>(value: T): T => (value == null ? value : JSON.parse(JSON.stringify(value)));

/**
 * Appends an entry at the end of the org's chain. Appends of one org are serialised by a lock
 * held until the caller's transaction ends, so the chain has no gaps and no forks.
 */
export function appendActivity(db: Db, orgId: string, input: ActivityInput): Promise<ActivityEntry> {
  return db.transaction(async (tx) => {
    await lockChain(tx, orgId);
    const head = await chainHead(tx, orgId);
    const seq = (head?.seq ?? 0) + 1;
    const prevHash = head?.hash ?? GENESIS_HASH;
    const fields = {
      seq,
      at: new Date().toISOString(),
      actor: input.actor,
      ip: input.ip,
      requestId: input.requestId,
      action: input.action,
      target: input.target,
      changes: asStored(input.changes),
      context: asStored(input.context),
    };
    const hash = entryHash(prevHash, { orgId, ...fields });
    await tx.query(
      `INSERT INTO activity_log (org_id, seq, at, token_id, token_name, role, ip, request_id, action,
         target_type, target_id, changes, context, prev_hash, hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
      [
        orgId,
        seq,
        fields.at,
        fields.actor.tokenId,
        fields.actor.tokenName,
        fields.actor.role,
        fields.ip,
        fields.requestId,
        fields.action,
        fields.target?.type ?? null,
        fields.target?.id ?? null,
        fields.changes === null ? null : JSON.stringify(fields.changes),
        JSON.stringify(fields.context),
        prevHash,
        hash,
      ],
    );
    return { ...fields, prevHash, hash };
  });
}
