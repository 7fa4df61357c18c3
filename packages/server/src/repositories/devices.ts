import type {
  CheckInRequest,
  ConsentGrants,
  Device,
  DeviceFacts,
  DeviceListQuery,
  DeviceState,
  DeviceStatus,
  InstalledApp,
  ManagementMode,
  PageOf,
  PatchDeviceRequest,
  UserStatus,
} from '@fleetops/protocol';
import { selectorFields } from '@fleetops/protocol';
import type { z } from 'zod';
import { ApiError, notFound } from '../errors';
import { parseWhere, selectorSql } from '../selector-sql';
import { decodeCursor, toPage } from '../store/cursor';
import { type Db, one, type Queryable } from '../store/db';
import { uuidv7 } from '../store/ids';
import { hashSecret, newSecret, SECRET_PREFIX } from '../store/secrets';
import { iso, isoOrNull } from '../store/time';
import { type ErasedEvents, eraseEventsAsOrgChose } from './erasure';
import { assertMayOwn } from './users/owner';

export interface DeviceRow {
  id: string;
  org_id: string;
  status: DeviceStatus;
  group_name: string;
  labels: string[];
  mode: ManagementMode;
  facts: DeviceFacts;
  state: DeviceState;
  consent: ConsentGrants;
  owner_id: string | null;
  app_count: number;
  enrollment_generation: number;
  enrolled_at: Date;
  last_seen_at: Date;
  retired_at: Date | null;
}

export const DEVICE_COLUMNS = `id, org_id, status, group_name, labels, mode, facts, state, consent, owner_id,
  app_count, enrollment_generation, enrolled_at, last_seen_at, retired_at`;

export const toDevice = (row: DeviceRow): Device => ({
  id: row.id,
  status: row.status,
  group: row.group_name,
  labels: row.labels,
  mode: row.mode,
  facts: row.facts,
  state: row.state,
  consent: row.consent,
  ownerId: row.owner_id,
  appCount: row.app_count,
  enrollmentGeneration: row.enrollment_generation,
  enrolledAt: iso(row.enrolled_at),
  lastSeenAt: iso(row.last_seen_at),
  retiredAt: isoOrNull(row.retired_at),
});

/** The device behind a credential, as the device API needs it. */
export interface DevicePrincipal {
  id: string;
  orgId: string;
  mode: ManagementMode;
  enrollmentGeneration: number;
}

type ListQuery = z.output<typeof DeviceListQuery>;
type Patch = z.output<typeof PatchDeviceRequest>;

/** Builds the WHERE clause of a device list from its filters, as numbered parameters. */
function listFilters(orgId: string, query: ListQuery): { where: string; params: unknown[] } {
  const params: unknown[] = [orgId];
  const clauses = ['org_id = $1'];
  const add = (clause: (p: string) => string, value: unknown) => {
    params.push(value);
    clauses.push(clause(`$${params.length}`));
  };
  const selector = query.where === undefined ? undefined : parseWhere(query.where);
  const status = query.status ?? (selector && selectorFields(selector).has('status') ? 'all' : 'active');
  if (status !== 'all') add((p) => `status = ${p}`, status);
  if (query.os) add((p) => `os = ${p}`, query.os);
  if (query.group) add((p) => `group_name = ${p}`, query.group);
  if (query.label) add((p) => `labels @> ARRAY[${p}::text]`, query.label);
  if (query.model) add((p) => `lower(model) = lower(${p})`, query.model);
  if (query.mode) add((p) => `mode = ${p}`, query.mode);
  if (query.ownerId) add((p) => `owner_id = ${p}::uuid`, query.ownerId);
  if (query.lastSeenBefore) add((p) => `last_seen_at < ${p}::timestamptz`, query.lastSeenBefore);
  if (query.lastSeenAfter) add((p) => `last_seen_at > ${p}::timestamptz`, query.lastSeenAfter);
  if (selector) clauses.push(selectorSql(selector, params));
  const after = decodeCursor(query.cursor);
  if (after) add((p) => `id > ${p}::uuid`, after);
  return { where: clauses.join(' AND '), params };
}

/** Whether an owner's devices are refused: their account is disabled or closed. */
const isRefusedOwner = (status: UserStatus | null) => status === 'disabled' || status === 'offboarded';

const deviceDisabled = () =>
  new ApiError('device_disabled', "this device's user account is disabled: ask your administrator");

/** How stale `lastSeenAt` may be for a device that keeps polling. */
export const SEEN_PRECISION_MS = 30_000;

export function createDevicesRepository(db: Db) {
  const lastTouched = new Map<string, number>();
  const getRow = async (orgId: string, id: string) => {
    const row = await one<DeviceRow>(
      db,
      `SELECT ${DEVICE_COLUMNS} FROM devices WHERE org_id = $1 AND id = $2`,
      [orgId, id],
    );
    if (!row) throw notFound('device', id);
    return row;
  };

  return {
    /**
     * Creates the device of an enrollment and its credential, shown to the device once. Hardware
     * enrolled before (same serial) gets the next generation, and its earlier enrollment still
     * active is retired with its pending commands: they were meant for the device as it was.
     */
    async enroll(
      q: Queryable,
      input: {
        orgId: string;
        enrollmentTokenId: string;
        group: string;
        mode: ManagementMode;
        facts: DeviceFacts;
        requestId: string | null;
      },
    ): Promise<{ device: Device; credential: string }> {
      const credential = newSecret(SECRET_PREFIX.deviceCredential);
      const earlier = await q.query<{
        id: string;
        enrollment_generation: number;
        status: DeviceStatus;
        owner_id: string | null;
        owner_status: UserStatus | null;
      }>(
        `SELECT d.id, d.enrollment_generation, d.status, d.owner_id, u.status AS owner_status
         FROM devices d LEFT JOIN users u ON u.id = d.owner_id
         WHERE d.org_id = $1 AND d.serial = $2 ORDER BY d.enrollment_generation DESC FOR UPDATE OF d`,
        [input.orgId, input.facts.serial],
      );
      // The hardware stays its user's: enrolling it again neither drops the owner nor escapes a disable.
      const latest = earlier[0];
      if (latest && isRefusedOwner(latest.owner_status)) throw deviceDisabled();
      const active = earlier.filter((device) => device.status === 'active').map((device) => device.id);
      if (active.length > 0) await retireDevices(q, input.orgId, active, 'enrolled again');
      const generation = (latest?.enrollment_generation ?? 0) + 1;
      const row = await one<DeviceRow>(
        q,
        `INSERT INTO devices (id, org_id, group_name, mode, enrollment_token_id, enrollment_request_id,
           credential_hash, facts, enrollment_generation, owner_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING ${DEVICE_COLUMNS}`,
        [
          uuidv7(),
          input.orgId,
          input.group,
          input.mode,
          input.enrollmentTokenId,
          input.requestId,
          hashSecret(credential),
          input.facts,
          generation,
          latest?.owner_id ?? null,
        ],
      );
      return { device: toDevice(row!), credential };
    },

    /**
     * The device an earlier try of this enrollment created, if its answer was lost: it gets a
     * new credential (the first one was never seen) and no further use of the token is counted.
     */
    async resumeEnrollment(
      q: Queryable,
      enrollmentToken: string,
      requestId: string,
    ): Promise<{ device: Device; credential: string } | undefined> {
      const credential = newSecret(SECRET_PREFIX.deviceCredential);
      const row = await one<DeviceRow>(
        q,
        `UPDATE devices SET credential_hash = $3
         WHERE enrollment_token_id = (SELECT id FROM enrollment_tokens WHERE secret_hash = $1)
           AND enrollment_request_id = $2 AND status = 'active'
         RETURNING ${DEVICE_COLUMNS}`,
        [hashSecret(enrollmentToken), requestId, hashSecret(credential)],
      );
      return row && { device: toDevice(row), credential };
    },

    async list(orgId: string, query: ListQuery): Promise<PageOf<Device>> {
      const { where, params } = listFilters(orgId, query);
      params.push(query.limit + 1);
      const rows = await db.query<DeviceRow>(
        `SELECT ${DEVICE_COLUMNS} FROM devices WHERE ${where} ORDER BY id LIMIT $${params.length}`,
        params,
      );
      return toPage(rows, query.limit, toDevice);
    },

    async get(orgId: string, id: string): Promise<Device> {
      return toDevice(await getRow(orgId, id));
    },

    /** Changes the group, labels or owner; an owner must be a user of the org not offboarded. */
    async update(orgId: string, id: string, patch: Patch, q: Queryable = db): Promise<Device> {
      if (patch.ownerId) await assertMayOwn(q, orgId, patch.ownerId, id);
      const row = await one<DeviceRow>(
        q,
        `UPDATE devices SET
           group_name = coalesce($3, group_name),
           labels = CASE
             WHEN $4::text[] IS NOT NULL THEN (SELECT coalesce(array_agg(DISTINCT l ORDER BY l), '{}') FROM unnest($4::text[]) l)
             ELSE (SELECT coalesce(array_agg(DISTINCT l ORDER BY l), '{}')
                   FROM unnest(labels || coalesce($5::text[], '{}')) l
                   WHERE l <> ALL (coalesce($6::text[], '{}')))
           END,
           owner_id = CASE WHEN $7 THEN $8::uuid ELSE owner_id END
         WHERE org_id = $1 AND id = $2 RETURNING ${DEVICE_COLUMNS}`,
        [
          orgId,
          id,
          patch.group ?? null,
          patch.labels ?? null,
          patch.addLabels ?? null,
          patch.removeLabels ?? null,
          patch.ownerId !== undefined,
          patch.ownerId ?? null,
        ],
      );
      if (!row) throw notFound('device', id);
      return toDevice(row);
    },

    /**
     * Unenrolls the device: its credential stops working at once, its pending commands are
     * canceled and its events are deleted or anonymized (the org's retention action).
     */
    async retire(orgId: string, id: string, q?: Queryable): Promise<Device> {
      const run = async (tx: Queryable) => {
        const [row] = (await retireDevices(tx, orgId, [id], 'device retired')).devices;
        if (!row) throw notFound('device', id);
        return toDevice(row);
      };
      return q ? run(q) : db.transaction(run);
    },

    async apps(orgId: string, id: string, limit: number, cursor?: string): Promise<PageOf<InstalledApp>> {
      await getRow(orgId, id);
      const rows = await db.query<InstalledApp & { package_id: string }>(
        `SELECT package_id, package_id AS "packageId", name, version, installer, certificate FROM device_apps
         WHERE device_id = $1 AND ($2::text IS NULL OR package_id > $2) ORDER BY package_id LIMIT $3`,
        [id, decodeCursor(cursor, /^.{1,255}$/) ?? null, limit + 1],
      );
      return toPage(
        rows,
        limit,
        ({ packageId, name, version, installer, certificate }) => ({
          packageId,
          name,
          version,
          installer,
          certificate,
        }),
        (row) => row.package_id,
      );
    },

    /**
     * The active device behind a credential; a retired one is told so, for good. A device whose
     * owner is disabled or offboarded is refused: read here on each call, not cached, so the
     * change holds at once on every server.
     */
    async authenticate(credential: string): Promise<DevicePrincipal | undefined> {
      const row = await one<{
        id: string;
        org_id: string;
        mode: ManagementMode;
        status: DeviceStatus;
        enrollment_generation: number;
        owner_status: UserStatus | null;
      }>(
        db,
        `SELECT d.id, d.org_id, d.mode, d.status, d.enrollment_generation, u.status AS owner_status
         FROM devices d LEFT JOIN users u ON u.id = d.owner_id WHERE d.credential_hash = $1`,
        [hashSecret(credential)],
      );
      if (!row) return undefined;
      if (row.status === 'retired') {
        throw new ApiError('device_retired', 'this device was retired: enroll it again to manage it');
      }
      if (isRefusedOwner(row.owner_status)) throw deviceDisabled();
      return {
        id: row.id,
        orgId: row.org_id,
        mode: row.mode,
        enrollmentGeneration: row.enrollment_generation,
      };
    },

    /**
     * Records a check-in: whatever parts the device sent (the policy it runs among them, its own
     * scan of its apps), and that it was seen now. Returns the device's group, which decides its policy.
     */
    async checkIn(deviceId: string, report: z.output<typeof CheckInRequest>): Promise<{ group: string }> {
      return db.transaction(async (tx) => {
        const row = await one<{ group_name: string }>(
          tx,
          `UPDATE devices SET
             facts = coalesce($2, facts), consent = coalesce($3, consent), state = coalesce($4, state),
             app_count = coalesce($5, app_count), applied_policy_hash = coalesce($6, applied_policy_hash),
             policy_failures = coalesce($7, policy_failures), app_scan = coalesce($8, app_scan),
             last_seen_at = now()
           WHERE id = $1 RETURNING group_name`,
          [
            deviceId,
            report.facts ?? null,
            report.consent ?? null,
            report.state ?? null,
            report.apps?.length ?? null,
            report.policy?.hash ?? null,
            report.policy ? JSON.stringify(report.policy.failures) : null,
            report.appScan ?? null,
          ],
        );
        if (report.apps) await replaceApps(tx, deviceId, report.apps);
        return { group: row!.group_name };
      });
    },

    /** Records that the device was seen now, and its state when it sent one. */
    async touch(deviceId: string, state?: DeviceState): Promise<void> {
      lastTouched.set(deviceId, Date.now());
      await db.query('UPDATE devices SET last_seen_at = now(), state = coalesce($2, state) WHERE id = $1', [
        deviceId,
        state ?? null,
      ]);
    },

    /**
     * Records that the device was seen, at most every {@link SEEN_PRECISION_MS} per device and
     * process: a fleet long-polling at once would otherwise write every device row on each poll.
     */
    async seen(deviceId: string): Promise<void> {
      const last = lastTouched.get(deviceId);
      if (last !== undefined && Date.now() - last < SEEN_PRECISION_MS) return;
      await this.touch(deviceId);
    },
  };
}
export type DevicesRepository = ReturnType<typeof createDevicesRepository>;

/**
 * Retires devices of the org, cancels their pending commands saying why, and deletes or
 * anonymizes their events as the org chose. Returns the devices found (a retired one again too)
 * and what became of their events.
 */
export async function retireDevices(
  q: Queryable,
  orgId: string,
  ids: string[],
  why: string,
): Promise<{ devices: DeviceRow[]; events: ErasedEvents }> {
  const devices = await q.query<DeviceRow>(
    `WITH retired AS (
       UPDATE devices SET status = 'retired', retired_at = coalesce(retired_at, now())
       WHERE org_id = $1 AND id = ANY($2::uuid[]) RETURNING ${DEVICE_COLUMNS}
     ), canceled AS (
       UPDATE commands SET status = 'canceled', completed_at = now(), error = $3
       WHERE device_id IN (SELECT id FROM retired) AND status IN ('queued', 'delivered', 'acknowledged')
     )
     SELECT * FROM retired ORDER BY id`,
    [orgId, ids, why],
  );
  const events =
    devices.length === 0
      ? { deleted: 0, anonymized: 0 }
      : await eraseEventsAsOrgChose(q, orgId, { deviceIds: devices.map((device) => device.id) });
  return { devices, events };
}

async function replaceApps(tx: Queryable, deviceId: string, apps: InstalledApp[]): Promise<void> {
  await tx.query('DELETE FROM device_apps WHERE device_id = $1', [deviceId]);
  if (apps.length === 0) return;
  const unique = [...new Map(apps.map((app) => [app.packageId, app])).values()];
  await tx.query(
    `INSERT INTO device_apps (device_id, package_id, name, version, installer, certificate)
     SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[])`,
    [
      deviceId,
      unique.map((a) => a.packageId),
      unique.map((a) => a.name),
      unique.map((a) => a.version),
      unique.map((a) => a.installer),
      unique.map((a) => a.certificate),
    ],
  );
}
