import { one, type Queryable } from '../store/db';
import { eraseEvents } from './events/erase';

export interface ErasedEvents {
  deleted: number;
  anonymized: number;
}

/**
 * Deletes or anonymizes, as the org's retention action says, the events of some devices or of
 * one user: what happens at once when a device is retired or a user's personal data is erased.
 */
export async function eraseEventsAsOrgChose(
  q: Queryable,
  orgId: string,
  of: { deviceIds: string[] } | { userId: string },
): Promise<ErasedEvents> {
  const org = await one<{ retention_action: 'delete' | 'anonymize' }>(
    q,
    'SELECT retention_action FROM orgs WHERE id = $1',
    [orgId],
  );
  if (!org) throw new Error(`org ${orgId} not found`);
  const { deleted, anonymized } = await eraseEvents(q, orgId, of, org.retention_action);
  return { deleted, anonymized };
}
