import type { OffboardUserRequest, OffboardUserResult } from '@fleetops/protocol';
import type { z } from 'zod';
import { notFound } from '../../errors';
import { one, type Queryable } from '../../store/db';
import { retireDevices } from '../devices';
import { erasePersonalData } from './erase-personal-data';
import { readUser } from './rows';

/**
 * Offboards a user, all in the caller's transaction: their devices are refused from the next
 * call; with `retireDevices` each active device they own is retired as the retire route does;
 * with `erasePersonalData` their personal data is erased. Offboarding again does what the
 * options ask and keeps the first offboarding time.
 */
export async function offboardUser(
  q: Queryable,
  orgId: string,
  id: string,
  options: z.output<typeof OffboardUserRequest>,
): Promise<OffboardUserResult> {
  const offboarded = await one<{ id: string }>(
    q,
    `UPDATE users SET status = 'offboarded', offboarded_at = coalesce(offboarded_at, now())
     WHERE org_id = $1 AND id = $2 RETURNING id`,
    [orgId, id],
  );
  if (!offboarded) throw notFound('user', id);
  let devicesRetired = 0;
  let eventsDeleted = 0;
  let eventsAnonymized = 0;
  if (options.retireDevices) {
    const owned = await q.query<{ id: string }>(
      `SELECT id FROM devices WHERE org_id = $1 AND owner_id = $2 AND status = 'active' ORDER BY id FOR UPDATE`,
      [orgId, id],
    );
    if (owned.length > 0) {
      const retired = await retireDevices(
        q,
        orgId,
        owned.map((device) => device.id),
        'user offboarded',
      );
      devicesRetired = retired.devices.length;
      eventsDeleted += retired.events.deleted;
      eventsAnonymized += retired.events.anonymized;
    }
  }
  if (options.erasePersonalData) {
    const erased = await erasePersonalData(q, orgId, id);
    eventsDeleted += erased.deleted;
    eventsAnonymized += erased.anonymized;
  }
  return { user: await readUser(q, orgId, id), devicesRetired, eventsDeleted, eventsAnonymized };
}
