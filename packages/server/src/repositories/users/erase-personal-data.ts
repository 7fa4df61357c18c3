import type { Queryable } from '../../store/db';
import { type ErasedEvents, eraseEventsAsOrgChose } from '../erasure';

/**
 * Erases what identifies a user: their name, e-mail, phone and external id, the phone number
 * their devices reported, and their events and their devices' events (deleted or anonymized as
 * the org chose). The account itself stays, marked erased, so that what refers to it still resolves.
 */
export async function erasePersonalData(q: Queryable, orgId: string, userId: string): Promise<ErasedEvents> {
  await q.query(
    `UPDATE users SET email = NULL, name = NULL, phone = NULL, external_id = NULL,
       erased_at = coalesce(erased_at, now())
     WHERE org_id = $1 AND id = $2`,
    [orgId, userId],
  );
  await q.query(
    `UPDATE devices SET facts = jsonb_set(facts, '{phoneNumber}', 'null') WHERE org_id = $1 AND owner_id = $2`,
    [orgId, userId],
  );
  return eraseEventsAsOrgChose(q, orgId, { userId });
}
