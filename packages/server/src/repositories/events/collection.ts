import {
  AUDIT_CATEGORIES,
  type AuditCategory,
  CATEGORY_PERMISSION,
  type ConsentGrants,
  type ConsentPermission,
  DEFAULT_RETENTION,
  type DropReason,
  parseDuration,
} from '@fleetops/protocol';
import { notFound } from '../../errors';
import { one, type Queryable } from '../../store/db';
import type { DevicePolicies } from '../policies/device-policies';
import type { GroupPolicy } from '../policies/effective';

/** Retention by category, as a policy or the org settings give it (e.g. {location: '30d'}). */
export type RetentionByCategory = Partial<Record<AuditCategory, string>>;

/** Whether one audit category of one device is collected, and how long its events are kept. */
export interface CategoryCollection {
  category: AuditCategory;
  permission: ConsentPermission | null;
  policyEnabled: boolean;
  /** true also when the category needs no permission. */
  permissionGranted: boolean;
  retention: string;
  retentionSeconds: number;
}

/** A device's two gates and retentions for every category, as they stand now. */
export interface DeviceCollection {
  deviceId: string;
  ownerId: string | null;
  consent: ConsentGrants;
  categories: Record<AuditCategory, CategoryCollection>;
}

/** Why an event of `category` is not stored, checked in the order of the contract; null when it is. */
export function dropReason(collection: CategoryCollection): DropReason | null {
  if (!collection.policyEnabled) return 'policy';
  if (!collection.permissionGranted) return 'consent';
  return null;
}

/**
 * Each category's collection from the device's effective policy (its audit switches and
 * retentions), the grants its user last reported, and the org's retentions.
 */
export function collectionOf(
  settings: GroupPolicy['settings'],
  consent: ConsentGrants,
  orgRetention: RetentionByCategory,
): Record<AuditCategory, CategoryCollection> {
  const entries = AUDIT_CATEGORIES.map((category) => {
    const permission = CATEGORY_PERMISSION[category];
    const retention = settings.retention[category] ?? orgRetention[category] ?? DEFAULT_RETENTION;
    const collection: CategoryCollection = {
      category,
      permission,
      policyEnabled: settings.audit[category]?.enabled === true,
      permissionGranted: permission === null || consent[permission] === true,
      retention,
      retentionSeconds: parseDuration(retention)!,
    };
    return [category, collection] as const;
  });
  return Object.fromEntries(entries) as Record<AuditCategory, CategoryCollection>;
}

/**
 * Reads what decides a device's collection: one query for the device and its org, and the
 * effective policy the check-in sends (cached per org by {@link DevicePolicies}).
 */
export function createCollections(db: Queryable, devicePolicies: DevicePolicies) {
  return async (orgId: string, deviceId: string): Promise<DeviceCollection> => {
    const row = await one<{
      group_name: string;
      consent: ConsentGrants;
      owner_id: string | null;
      retention: RetentionByCategory;
    }>(
      db,
      `SELECT d.group_name, d.consent, d.owner_id, o.retention FROM devices d JOIN orgs o ON o.id = d.org_id
       WHERE d.org_id = $1 AND d.id = $2`,
      [orgId, deviceId],
    );
    if (!row) throw notFound('device', deviceId);
    const policy = await devicePolicies.orNone(orgId, deviceId, row.group_name);
    return {
      deviceId,
      ownerId: row.owner_id,
      consent: row.consent,
      categories: collectionOf(policy.settings, row.consent, row.retention),
    };
  };
}
export type Collections = ReturnType<typeof createCollections>;
