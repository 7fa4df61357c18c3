import type {
  CreatedEnrollmentToken,
  EnrollmentToken,
  EnrollmentTokenStatus,
  ManagementMode,
  PageOf,
} from '@fleetops/protocol';
import { ApiError, notFound } from '../errors';
import { decodeCursor, toPage } from '../store/cursor';
import { one, type Queryable } from '../store/db';
import { uuidv7 } from '../store/ids';
import { hashSecret, newSecret, SECRET_PREFIX, secretPrefix } from '../store/secrets';
import { iso, isoOrNull } from '../store/time';

interface EnrollmentTokenRow {
  id: string;
  org_id: string;
  group_name: string;
  mode: ManagementMode;
  prefix: string;
  uses: number;
  max_uses: number | null;
  expires_at: Date;
  created_at: Date;
  revoked_at: Date | null;
}

function statusOf(row: EnrollmentTokenRow, now = Date.now()): EnrollmentTokenStatus {
  if (row.revoked_at) return 'revoked';
  if (row.expires_at.getTime() <= now) return 'expired';
  if (row.max_uses !== null && row.uses >= row.max_uses) return 'exhausted';
  return 'active';
}

const toEnrollmentToken = (row: EnrollmentTokenRow): EnrollmentToken => ({
  id: row.id,
  group: row.group_name,
  mode: row.mode,
  status: statusOf(row),
  prefix: row.prefix,
  uses: row.uses,
  maxUses: row.max_uses,
  expiresAt: iso(row.expires_at),
  createdAt: iso(row.created_at),
  revokedAt: isoOrNull(row.revoked_at),
});

const REFUSAL: Record<Exclude<EnrollmentTokenStatus, 'active'>, ApiError> = {
  revoked: new ApiError('enrollment_token_revoked', 'this enrollment token was revoked: ask for a new one'),
  expired: new ApiError('enrollment_token_expired', 'this enrollment token has expired: ask for a new one'),
  exhausted: new ApiError(
    'enrollment_token_exhausted',
    'this enrollment token has been used its maximum number of times: ask for a new one',
  ),
};

export interface NewEnrollmentToken {
  group: string;
  mode: ManagementMode;
  expiresInSeconds: number;
  maxUses: number | null;
}

export function createEnrollmentTokensRepository(db: Queryable) {
  return {
    async create(
      orgId: string,
      input: NewEnrollmentToken,
      serverUrl: string,
    ): Promise<CreatedEnrollmentToken> {
      const secret = newSecret(SECRET_PREFIX.enrollmentToken);
      const row = await one<EnrollmentTokenRow>(
        db,
        `INSERT INTO enrollment_tokens (id, org_id, group_name, mode, secret_hash, prefix, max_uses, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, now() + make_interval(secs => $8)) RETURNING *`,
        [
          uuidv7(),
          orgId,
          input.group,
          input.mode,
          hashSecret(secret),
          secretPrefix(secret),
          input.maxUses,
          input.expiresInSeconds,
        ],
      );
      return {
        ...toEnrollmentToken(row!),
        token: secret,
        payload: { v: 1, server: serverUrl, token: secret, mode: input.mode },
      };
    },

    async list(orgId: string, limit: number, cursor?: string): Promise<PageOf<EnrollmentToken>> {
      const rows = await db.query<EnrollmentTokenRow>(
        `SELECT * FROM enrollment_tokens WHERE org_id = $1 AND ($2::uuid IS NULL OR id > $2) ORDER BY id LIMIT $3`,
        [orgId, decodeCursor(cursor) ?? null, limit + 1],
      );
      return toPage(rows, limit, toEnrollmentToken);
    },

    async get(orgId: string, id: string): Promise<EnrollmentToken> {
      const row = await one<EnrollmentTokenRow>(
        db,
        'SELECT * FROM enrollment_tokens WHERE org_id = $1 AND id = $2',
        [orgId, id],
      );
      if (!row) throw notFound('enrollment token', id);
      return toEnrollmentToken(row);
    },

    async revoke(orgId: string, id: string): Promise<EnrollmentToken> {
      const row = await one<EnrollmentTokenRow>(
        db,
        `UPDATE enrollment_tokens SET revoked_at = coalesce(revoked_at, now())
         WHERE org_id = $1 AND id = $2 RETURNING *`,
        [orgId, id],
      );
      if (!row) throw notFound('enrollment token', id);
      return toEnrollmentToken(row);
    },

    /**
     * Counts one use of the token, atomically: two devices racing for the last use
     * cannot both get it. Throws the reason when the token cannot be used.
     */
    async consume(
      q: Queryable,
      secret: string,
    ): Promise<{ id: string; orgId: string; group: string; mode: ManagementMode }> {
      const hash = hashSecret(secret);
      const row = await one<EnrollmentTokenRow>(
        q,
        `UPDATE enrollment_tokens SET uses = uses + 1
         WHERE secret_hash = $1 AND revoked_at IS NULL AND expires_at > now()
           AND (max_uses IS NULL OR uses < max_uses)
         RETURNING *`,
        [hash],
      );
      if (row) return { id: row.id, orgId: row.org_id, group: row.group_name, mode: row.mode };
      const unusable = await one<EnrollmentTokenRow>(
        q,
        'SELECT * FROM enrollment_tokens WHERE secret_hash = $1',
        [hash],
      );
      if (!unusable)
        throw new ApiError('enrollment_token_invalid', 'unknown enrollment token: check it was copied whole');
      const status = statusOf(unusable);
      throw REFUSAL[status === 'active' ? 'exhausted' : status];
    },
  };
}
export type EnrollmentTokensRepository = ReturnType<typeof createEnrollmentTokensRepository>;
