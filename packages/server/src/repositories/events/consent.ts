import { AUDIT_CATEGORIES, type DeviceConsent, type DropReason } from '@fleetops/protocol';
import type { Queryable } from '../../store/db';
import { iso } from '../../store/time';
import type { Collections } from './collection';

/**
 * A device's consent as it stands: what its user granted, each category's two gates and
 * retention, how many of its events are stored and how many were dropped, by reason.
 */
export async function deviceConsent(
  db: Queryable,
  collections: Collections,
  orgId: string,
  deviceId: string,
): Promise<DeviceConsent> {
  const collection = await collections(orgId, deviceId);
  const [stored, drops] = await Promise.all([
    db.query<{ category: string; count: number }>(
      'SELECT category, count(*)::float8 AS count FROM device_events WHERE device_id = $1 GROUP BY category',
      [deviceId],
    ),
    db.query<{ category: string; reason: DropReason; count: number; last_at: Date }>(
      'SELECT category, reason, count::float8 AS count, last_at FROM device_event_drops WHERE device_id = $1',
      [deviceId],
    ),
  ]);
  const categories = AUDIT_CATEGORIES.map((category) => {
    const gates = collection.categories[category];
    const dropped = { policy: 0, consent: 0 };
    let lastDroppedAt: Date | null = null;
    for (const drop of drops.filter((d) => d.category === category)) {
      dropped[drop.reason] = drop.count;
      const at = new Date(drop.last_at);
      if (lastDroppedAt === null || at > lastDroppedAt) lastDroppedAt = at;
    }
    return {
      category,
      permission: gates.permission,
      policyEnabled: gates.policyEnabled,
      permissionGranted: gates.permissionGranted,
      collecting: gates.policyEnabled && gates.permissionGranted,
      retention: gates.retention,
      stored: stored.find((s) => s.category === category)?.count ?? 0,
      dropped,
      lastDroppedAt: lastDroppedAt && iso(lastDroppedAt),
    };
  });
  return { deviceId, grants: collection.consent, categories };
}
