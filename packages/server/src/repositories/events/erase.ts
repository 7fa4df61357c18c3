import type { Queryable } from '../../store/db';
import { ANONYMIZE_SET } from './anonymize';

/**
 * Whose events: some devices', or a person's — those received while they owned the device, and
 * those their devices sent while nobody owned them; never another owner's.
 */
export type EventOwner = { deviceIds: string[] } | { userId: string };

export type EraseAction = 'delete' | 'anonymize';

/**
 * Deletes or anonymizes, in one statement, every event of the devices or of the user given
 * (a retired device, an erased user). Runs on `q`, so that it commits with the caller's change.
 */
export async function eraseEvents(
  q: Queryable,
  orgId: string,
  of: EventOwner,
  action: EraseAction,
): Promise<{ deleted: number; anonymized: number }> {
  if ('deviceIds' in of && of.deviceIds.length === 0) return { deleted: 0, anonymized: 0 };
  const [whose, param] =
    'deviceIds' in of
      ? ['device_id = ANY($2::uuid[])', of.deviceIds]
      : [
          '(user_id = $2 OR (user_id IS NULL AND device_id IN (SELECT id FROM devices WHERE org_id = $1 AND owner_id = $2)))',
          of.userId,
        ];
  // Anonymized rows have neither device nor user: they never match again.
  const change =
    action === 'delete'
      ? `DELETE FROM device_events WHERE org_id = $1 AND ${whose} RETURNING 1`
      : `UPDATE device_events SET ${ANONYMIZE_SET} WHERE org_id = $1 AND ${whose} RETURNING 1`;
  const [row] = await q.query<{ count: number }>(
    `WITH changed AS (${change}) SELECT count(*)::int AS count FROM changed`,
    [orgId, param],
  );
  const count = row!.count;
  return action === 'delete' ? { deleted: count, anonymized: 0 } : { deleted: 0, anonymized: count };
}
