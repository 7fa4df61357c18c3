import { createHash } from 'node:crypto';
import { one, type Queryable } from '../store/db';

/** How long a key is remembered: a client retrying later than this makes a new request. */
export const IDEMPOTENCY_KEY_TTL_HOURS = 24;

/** A claim whose request never finished (the server stopped mid-way) can be taken again after this. */
export const IN_PROGRESS_LEASE_SECONDS = 300;

export type IdempotencyClaim =
  | { kind: 'fresh' }
  | { kind: 'replay'; status: number; body: unknown }
  | { kind: 'in-progress' }
  | { kind: 'mismatch' };

/** A request's identity under its key: the same key must come from the same token with the same request. */
export function fingerprint(tokenId: string, method: string, url: string, body: unknown): string {
  return createHash('sha256')
    .update(`${tokenId} ${method} ${url}\n${JSON.stringify(body ?? null)}`)
    .digest('hex');
}

/**
 * Remembers the answers of mutating requests by `Idempotency-Key`, per org, so that a
 * retried request gets the first answer instead of acting twice.
 */
export function createIdempotencyKeysRepository(db: Queryable) {
  return {
    /** Claims `key` for this request, or says why it cannot run: answered already, running, or reused. */
    async claim(orgId: string, key: string, requestHash: string): Promise<IdempotencyClaim> {
      const claimed = await db.query(
        `INSERT INTO idempotency_keys (org_id, key, request_hash) VALUES ($1, $2, $3)
         ON CONFLICT (org_id, key) DO UPDATE SET request_hash = excluded.request_hash, status = NULL,
           response = NULL, created_at = now()
           WHERE idempotency_keys.created_at < now() - make_interval(hours => $4)
              OR (idempotency_keys.status IS NULL AND idempotency_keys.created_at < now() - make_interval(secs => $5))
         RETURNING key`,
        [orgId, key, requestHash, IDEMPOTENCY_KEY_TTL_HOURS, IN_PROGRESS_LEASE_SECONDS],
      );
      if (claimed.length > 0) return { kind: 'fresh' };
      const existing = await one<{ request_hash: string; status: number | null; response: unknown }>(
        db,
        'SELECT request_hash, status, response FROM idempotency_keys WHERE org_id = $1 AND key = $2',
        [orgId, key],
      );
      if (!existing) return this.claim(orgId, key, requestHash);
      if (existing.request_hash !== requestHash) return { kind: 'mismatch' };
      if (existing.status === null) return { kind: 'in-progress' };
      return { kind: 'replay', status: existing.status, body: existing.response };
    },

    async complete(orgId: string, key: string, status: number, response: unknown): Promise<void> {
      await db.query(
        'UPDATE idempotency_keys SET status = $3, response = $4 WHERE org_id = $1 AND key = $2',
        [orgId, key, status, JSON.stringify(response)],
      );
    },

    /** Frees a key whose request failed, so that the client may retry it. */
    async release(orgId: string, key: string): Promise<void> {
      await db.query('DELETE FROM idempotency_keys WHERE org_id = $1 AND key = $2 AND status IS NULL', [
        orgId,
        key,
      ]);
    },

    async deleteExpired(): Promise<void> {
      await db.query('DELETE FROM idempotency_keys WHERE created_at < now() - make_interval(hours => $1)', [
        IDEMPOTENCY_KEY_TTL_HOURS,
      ]);
    },
  };
}
export type IdempotencyKeysRepository = ReturnType<typeof createIdempotencyKeysRepository>;
