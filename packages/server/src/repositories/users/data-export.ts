import { Readable } from 'node:stream';
import type { InstalledApp } from '@fleetops/protocol';
import type { Queryable } from '../../store/db';
import { ACTIVITY_COLUMNS, type ActivityRow, rowToActivityEntry } from '../activity';
import { type CommandRow, SELECT_COMMAND, toCommand } from '../commands';
import { DEVICE_COLUMNS, type DeviceRow, toDevice } from '../devices';
import { EVENT_COLUMNS, type EventRow, toDeviceEvent } from '../events/list';
import { readUser } from './rows';

/** Rows read per query: the export never holds more than this of any list. */
export const USER_EXPORT_BATCH_SIZE = 1000;

/** The devices the user owns, whatever their status, as a subquery on $1 (org) and $2 (user). */
const OWNED_DEVICES = 'SELECT id FROM devices WHERE org_id = $1 AND owner_id = $2::uuid';

/** A list read in keyset batches: `fetch` gets the key of the last row read, or null at first. */
interface Batched<Row> {
  fetch: (after: string | null) => Promise<Row[]>;
  keyOf: (row: Row) => string;
}

/** The rows of a list, one batch at a time. */
async function* batches<Row>({ fetch, keyOf }: Batched<Row>): AsyncGenerator<Row[]> {
  let after: string | null = null;
  for (;;) {
    const rows = await fetch(after);
    if (rows.length > 0) yield rows;
    if (rows.length < USER_EXPORT_BATCH_SIZE) return;
    after = keyOf(rows[rows.length - 1]!);
  }
}

/** The items of a JSON array (without its brackets), one batch at a time. */
async function* arrayItems<Row>(list: Batched<Row>, toJson: (row: Row) => unknown): AsyncGenerator<string> {
  let first = true;
  for await (const rows of batches(list)) {
    yield (first ? '' : ',') + rows.map((row) => JSON.stringify(toJson(row))).join(',');
    first = false;
  }
}

/**
 * Everything stored about one user (right of access), as one JSON object whose keys come in the
 * order of USER_DATA_EXPORT_KEYS: the account, the devices they own (each with its apps), the
 * events received from them or their devices, their devices' commands, and the admin activity
 * on them or their devices. Read in keyset batches at the reader's pace; an unknown user is a
 * 404 before anything is sent.
 */
export async function exportUserData(q: Queryable, orgId: string, userId: string): Promise<Readable> {
  const user = await readUser(q, orgId, userId);
  const page = (sql: string) => (after: string | null) =>
    q.query<never>(sql, [orgId, userId, after, USER_EXPORT_BATCH_SIZE]);

  const devices: Batched<DeviceRow> = {
    fetch: page(
      `SELECT ${DEVICE_COLUMNS} FROM devices WHERE org_id = $1 AND owner_id = $2::uuid
       AND ($3::uuid IS NULL OR id > $3::uuid) ORDER BY id LIMIT $4`,
    ),
    keyOf: (row) => row.id,
  };
  const appsOf = (deviceId: string): Batched<InstalledApp> => ({
    fetch: (after) =>
      q.query(
        `SELECT package_id AS "packageId", name, version, installer, certificate FROM device_apps
         WHERE device_id = $1 AND ($2::text IS NULL OR package_id > $2) ORDER BY package_id LIMIT $3`,
        [deviceId, after, USER_EXPORT_BATCH_SIZE],
      ),
    keyOf: (app) => app.packageId,
  });
  const events: Batched<EventRow> = {
    fetch: page(
      `SELECT ${EVENT_COLUMNS}
       FROM device_events e
       WHERE e.org_id = $1 AND (e.user_id = $2::uuid OR (e.user_id IS NULL AND e.device_id IN (${OWNED_DEVICES})))
         AND ($3::bigint IS NULL OR e.id > $3::bigint)
       ORDER BY e.id LIMIT $4`,
    ),
    keyOf: (row) => row.id,
  };
  const commands: Batched<CommandRow> = {
    fetch: page(
      `${SELECT_COMMAND} WHERE org_id = $1 AND device_id IN (${OWNED_DEVICES})
       AND ($3::uuid IS NULL OR id > $3::uuid) ORDER BY id LIMIT $4`,
    ),
    keyOf: (row) => row.id,
  };
  const activity: Batched<ActivityRow> = {
    fetch: page(
      `SELECT ${ACTIVITY_COLUMNS} FROM activity_log
       WHERE org_id = $1 AND (target_id = $2::text OR target_id IN (SELECT id::text FROM (${OWNED_DEVICES}) owned))
         AND ($3::bigint IS NULL OR seq > $3::bigint)
       ORDER BY seq LIMIT $4`,
    ),
    keyOf: (row) => String(row.seq),
  };

  /** Each device's JSON object with its apps as one more key, the apps read in batches too. */
  async function* devicesWithApps(): AsyncGenerator<string> {
    let first = true;
    for await (const rows of batches(devices)) {
      for (const row of rows) {
        const device = JSON.stringify(toDevice(row));
        yield `${first ? '' : ','}${device.slice(0, -1)},"apps":[`;
        yield* arrayItems(appsOf(row.id), (app) => app);
        yield ']}';
        first = false;
      }
    }
  }

  async function* body(): AsyncGenerator<string> {
    yield `{"user":${JSON.stringify(user)},"devices":[`;
    yield* devicesWithApps();
    yield '],"events":[';
    yield* arrayItems(events, toDeviceEvent);
    yield '],"commands":[';
    yield* arrayItems(commands, toCommand);
    yield '],"activity":[';
    yield* arrayItems(activity, rowToActivityEntry);
    yield ']}';
  }
  return Readable.from(body(), { objectMode: false });
}
