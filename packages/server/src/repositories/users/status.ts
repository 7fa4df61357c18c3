import type { User } from '@fleetops/protocol';
import { ApiError, notFound } from '../../errors';
import { one, type Queryable } from '../../store/db';
import { readUser } from './rows';

/**
 * Disables the user: the device API refuses their devices from the next call, on every server,
 * since device authentication reads the owner's status. Disabling a disabled user changes nothing.
 */
export async function disableUser(q: Queryable, orgId: string, id: string): Promise<User> {
  await setStatus(q, orgId, id, 'disabled');
  return readUser(q, orgId, id);
}

/** Enables a disabled user again: their devices are served from their next call. */
export async function enableUser(q: Queryable, orgId: string, id: string): Promise<User> {
  await setStatus(q, orgId, id, 'active');
  return readUser(q, orgId, id);
}

async function setStatus(q: Queryable, orgId: string, id: string, status: 'active' | 'disabled') {
  const changed = await one<{ id: string }>(
    q,
    `UPDATE users SET status = $3, disabled_at = CASE WHEN $3 = 'disabled' THEN now() END
     WHERE org_id = $1 AND id = $2 AND status NOT IN ($3, 'offboarded') RETURNING id`,
    [orgId, id, status],
  );
  if (changed) return;
  const current = await one<{ status: string }>(q, 'SELECT status FROM users WHERE org_id = $1 AND id = $2', [
    orgId,
    id,
  ]);
  if (!current) throw notFound('user', id);
  if (current.status === 'offboarded') {
    throw new ApiError('conflict', `user ${id} was offboarded: an offboarded account stays closed`);
  }
}
