import { ApiError, notFound } from '../../errors';
import { one, type Queryable } from '../../store/db';

/**
 * Refuses to make `userId` the owner of a device unless the org has that user and they were not
 * offboarded (a device they own already stays theirs). Locks the user row until the transaction
 * ends, so an offboarding running at the same time sees the device as theirs.
 */
export async function assertMayOwn(q: Queryable, orgId: string, userId: string, deviceId: string) {
  const user = await one<{ status: string; owns: boolean }>(
    q,
    `SELECT status, EXISTS (SELECT 1 FROM devices WHERE id = $3 AND owner_id = $2) AS owns
     FROM users WHERE org_id = $1 AND id = $2 FOR SHARE`,
    [orgId, userId, deviceId],
  );
  if (!user) throw notFound('user', userId);
  if (user.status === 'offboarded' && !user.owns) {
    throw new ApiError('conflict', `user ${userId} was offboarded: they cannot own new devices`);
  }
}
