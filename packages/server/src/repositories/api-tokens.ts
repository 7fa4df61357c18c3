import type { ApiToken, CreatedApiToken, Org, PageOf, Role } from '@fleetops/protocol';
import { notFound } from '../errors';
import { decodeCursor, toPage } from '../store/cursor';
import { one, type Queryable } from '../store/db';
import { uuidv7 } from '../store/ids';
import { hashSecret, newSecret, SECRET_PREFIX, secretPrefix } from '../store/secrets';
import { iso, isoOrNull } from '../store/time';

interface TokenRow {
  id: string;
  org_id: string;
  name: string;
  role: Role;
  prefix: string;
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

const toToken = (row: TokenRow): ApiToken => ({
  id: row.id,
  name: row.name,
  role: row.role,
  prefix: row.prefix,
  createdAt: iso(row.created_at),
  lastUsedAt: isoOrNull(row.last_used_at),
  revokedAt: isoOrNull(row.revoked_at),
});

/** Who is calling the admin API: one token of one org. */
export interface AdminPrincipal {
  org: Org;
  token: ApiToken;
}

/** `last_used_at` is refreshed at most this often, so reads do not all turn into writes. */
const TOUCH_INTERVAL = '1 minute';

export function createApiTokensRepository(db: Queryable) {
  return {
    async create(orgId: string, name: string, role: Role, q: Queryable = db): Promise<CreatedApiToken> {
      const secret = newSecret(SECRET_PREFIX.apiToken);
      const row = await one<TokenRow>(
        q,
        `INSERT INTO api_tokens (id, org_id, name, role, secret_hash, prefix)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`,
        [uuidv7(), orgId, name, role, hashSecret(secret), secretPrefix(secret)],
      );
      return { ...toToken(row!), token: secret };
    },

    async list(orgId: string, limit: number, cursor?: string): Promise<PageOf<ApiToken>> {
      const rows = await db.query<TokenRow>(
        `SELECT * FROM api_tokens WHERE org_id = $1 AND ($2::uuid IS NULL OR id > $2) ORDER BY id LIMIT $3`,
        [orgId, decodeCursor(cursor) ?? null, limit + 1],
      );
      return toPage(rows, limit, toToken);
    },

    async get(orgId: string, id: string): Promise<ApiToken> {
      const row = await one<TokenRow>(db, 'SELECT * FROM api_tokens WHERE org_id = $1 AND id = $2', [
        orgId,
        id,
      ]);
      if (!row) throw notFound('token', id);
      return toToken(row);
    },

    async revoke(orgId: string, id: string): Promise<ApiToken> {
      const row = await one<TokenRow>(
        db,
        `UPDATE api_tokens SET revoked_at = coalesce(revoked_at, now())
         WHERE org_id = $1 AND id = $2 RETURNING *`,
        [orgId, id],
      );
      if (!row) throw notFound('token', id);
      return toToken(row);
    },

    /** The live token with this secret and its org, or undefined. */
    async authenticate(secret: string): Promise<AdminPrincipal | undefined> {
      const row = await one<TokenRow & { org_name: string; org_created_at: Date; stale: boolean }>(
        db,
        `SELECT t.*, o.name AS org_name, o.created_at AS org_created_at,
                (t.last_used_at IS NULL OR t.last_used_at < now() - interval '${TOUCH_INTERVAL}') AS stale
         FROM api_tokens t JOIN orgs o ON o.id = t.org_id
         WHERE t.secret_hash = $1 AND t.revoked_at IS NULL`,
        [hashSecret(secret)],
      );
      if (!row) return undefined;
      if (row.stale) await db.query('UPDATE api_tokens SET last_used_at = now() WHERE id = $1', [row.id]);
      return {
        org: { id: row.org_id, name: row.org_name, createdAt: iso(row.org_created_at) },
        token: toToken(row),
      };
    },
  };
}
export type ApiTokensRepository = ReturnType<typeof createApiTokensRepository>;
