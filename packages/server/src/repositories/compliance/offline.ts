import {
  ComplianceInventory,
  ComplianceRulesDocument,
  type ComplianceRulesDocumentInput,
  type InstalledApp,
  type InventoryDevice,
  SEVERITY_RANK,
} from '@fleetops/protocol';
import type { z } from 'zod';
import type { Queryable } from '../../store/db';
import { uuidv7 } from '../../store/ids';
import { migrate } from '../../store/migrations';
import { openPglite } from '../../store/pglite';
import { evaluateRules, NO_EXPECTED_POLICIES, type ViolationRow } from './evaluate';
import { assertValidRules } from './rule-set';

/** A violation found offline, with the serial that names the device in the inventory. */
export interface InventoryViolation extends ViolationRow {
  serial: string;
}

type Device = z.output<typeof InventoryDevice>;

/** App rows are inserted in batches of this many, to bound the size of one statement. */
const APP_BATCH = 50_000;

/**
 * Stores recorded devices, with their apps, as active devices of the org: one statement for the
 * devices and one per batch of apps. Returns the id of each device, in order (its own when given).
 */
export async function insertInventory(
  q: Queryable,
  orgId: string,
  devices: readonly Device[],
): Promise<string[]> {
  const ids = devices.map((device) => device.id ?? uuidv7());
  const seen = new Map<string, number>();
  ids.forEach((id, index) => {
    const earlier = seen.get(id);
    if (earlier !== undefined)
      throw new Error(`inventory devices[${index}].id repeats devices[${earlier}].id (${id})`);
    seen.set(id, index);
  });
  // A device lists an app once: the last entry of a package id wins, as at check-in.
  const apps = devices.map((device) => [...new Map(device.apps.map((app) => [app.packageId, app])).values()]);
  await q.query(
    `INSERT INTO devices (id, org_id, group_name, mode, credential_hash, facts, app_count, last_seen_at)
     SELECT d.id, $1, d.group_name, d.mode, 'inventory:' || d.id::text, d.facts::jsonb, d.app_count,
       coalesce(d.last_seen_at::timestamptz, now())
     FROM unnest($2::uuid[], $3::text[], $4::text[], $5::text[], $6::integer[], $7::text[])
       AS d(id, group_name, mode, facts, app_count, last_seen_at)`,
    [
      orgId,
      ids,
      devices.map((device) => device.group),
      devices.map((device) => device.mode),
      devices.map((device) =>
        JSON.stringify({
          model: '',
          os: device.os,
          osVersion: device.osVersion,
          serial: device.serial,
          passcodeSet: device.passcodeSet,
          storageEncrypted: device.storageEncrypted,
          rooted: device.rooted,
        }),
      ),
      apps.map((list) => list.length),
      devices.map((device) => device.lastSeenAt ?? null),
    ],
  );
  const rows = apps.flatMap((list, index) => list.map((app): [string, InstalledApp] => [ids[index]!, app]));
  for (let start = 0; start < rows.length; start += APP_BATCH) {
    const batch = rows.slice(start, start + APP_BATCH);
    await q.query(
      `INSERT INTO device_apps (device_id, package_id, name, version, installer, certificate)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])`,
      [
        batch.map(([id]) => id),
        batch.map(([, app]) => app.packageId),
        batch.map(([, app]) => app.name),
        batch.map(([, app]) => app.version),
        batch.map(([, app]) => app.installer),
        batch.map(([, app]) => app.certificate),
      ],
    );
  }
  return ids;
}

/**
 * Evaluates a rules document against recorded inventory, offline (`compliance test`): in an
 * in-memory database of its own, with the same compiled SQL as a scan. No policies exist there, so
 * every device is in sync for policyInSync. Violations come worst first, then by serial and rule.
 */
export async function evaluateInventory(
  document: ComplianceRulesDocumentInput,
  inventory: ComplianceInventory,
): Promise<InventoryViolation[]> {
  const { rules } = ComplianceRulesDocument.parse(document);
  assertValidRules(rules, (index) => `rules.${index}`);
  const { devices } = ComplianceInventory.parse(inventory);
  const db = await openPglite();
  try {
    await migrate(db);
    const orgId = uuidv7();
    await db.query('INSERT INTO orgs (id, name) VALUES ($1, $2)', [orgId, 'inventory']);
    const ids = await insertInventory(db, orgId, devices);
    const serials = new Map(ids.map((id, index) => [id, devices[index]!.serial]));
    const rows = await evaluateRules(db, rules, { orgId }, NO_EXPECTED_POLICIES);
    return rows
      .map((row) => ({ ...row, serial: serials.get(row.deviceId)! }))
      .sort(
        (a, b) =>
          SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] ||
          compare(a.serial, b.serial) ||
          compare(a.deviceId, b.deviceId) ||
          compare(a.rule, b.rule),
      );
  } finally {
    await db.close();
  }
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
