import type { User, UserStatus } from '@fleetops/protocol';
import { notFound } from '../../errors';
import { one, type Queryable } from '../../store/db';
import { iso, isoOrNull } from '../../store/time';

export interface UserRow {
  id: string;
  email: string | null;
  name: string | null;
  phone: string | null;
  external_id: string | null;
  status: UserStatus;
  device_count: number;
  created_at: Date;
  disabled_at: Date | null;
  offboarded_at: Date | null;
  erased_at: Date | null;
}

/** The columns of a user read from `users u`, with the count of the active devices they own. */
export const USER_COLUMNS = `u.id, u.email, u.name, u.phone, u.external_id, u.status, u.created_at,
  u.disabled_at, u.offboarded_at, u.erased_at,
  (SELECT count(*)::int FROM devices d WHERE d.owner_id = u.id AND d.status = 'active') AS device_count`;

export const toUser = (row: UserRow): User => ({
  id: row.id,
  email: row.email,
  name: row.name,
  phone: row.phone,
  externalId: row.external_id,
  status: row.status,
  deviceCount: row.device_count,
  createdAt: iso(row.created_at),
  disabledAt: isoOrNull(row.disabled_at),
  offboardedAt: isoOrNull(row.offboarded_at),
  erasedAt: isoOrNull(row.erased_at),
});

/** The user as stored now; 404 when the org has no such user. */
export async function readUser(q: Queryable, orgId: string, id: string): Promise<User> {
  const row = await one<UserRow>(q, `SELECT ${USER_COLUMNS} FROM users u WHERE u.org_id = $1 AND u.id = $2`, [
    orgId,
    id,
  ]);
  if (!row) throw notFound('user', id);
  return toUser(row);
}
