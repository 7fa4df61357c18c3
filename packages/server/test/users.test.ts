import { randomUUID } from 'node:crypto';
import { USER_DATA_EXPORT_KEYS } from '@fleetops/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../src/store/db';
import { openPostgres } from '../src/store/postgres';
import {
  describeStores,
  deviceApi,
  enroll,
  facts,
  type Harness,
  openIsolatedPostgres,
  startApp,
} from './harness';

const PARIS = { latitude: 48.8566, longitude: 2.3522, accuracyMeters: 5, source: 'gps' };

/** Stores location events of a device as received while `userId` owned it. */
async function storeLocations(db: Db, orgId: string, deviceId: string, userId: string | null, count: number) {
  await db.query(
    `INSERT INTO device_events (org_id, device_id, user_id, event_id, category, occurred_at, expires_at, data)
     SELECT $1, $2, $3, gen_random_uuid(), 'location', now(), now() + interval '90 days', $4
     FROM generate_series(1, $5)`,
    [orgId, deviceId, userId, PARIS, count],
  );
}

type Json = Record<string, unknown>;

/** An org of the harness with helpers for its users and devices. */
async function orgWithUsers(server: Harness) {
  const org = await server.newOrg();
  const call = async (
    path: string,
    init: { method?: string; body?: unknown } = {},
    token = org.tokens.admin,
  ) =>
    server.api(token, path, {
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
      body: init.body,
    });
  const json = async (path: string, init: { method?: string; body?: unknown } = {}) => {
    const response = await call(path, init);
    if (response.status >= 300) throw new Error(`${path}: ${response.status} ${await response.text()}`);
    return response.json();
  };
  const enrollmentToken = await org.enrollmentToken();
  return {
    org,
    call,
    json,
    createUser: (email: string, extra: Json = {}) =>
      json('/v1/users', { body: { email, name: email.split('@')[0], ...extra } }),
    enrollOwnedBy: async (userId: string | null) => {
      const device = await enroll(server, enrollmentToken, { phoneNumber: '+14155550123' });
      if (userId)
        await json(`/v1/devices/${device.deviceId}`, { method: 'PATCH', body: { ownerId: userId } });
      return device;
    },
  };
}

describeStores('users', (server) => {
  it('opens, lists and reads accounts; a second account for an e-mail, in any case, is refused', async () => {
    const { call, json, createUser } = await orgWithUsers(server);
    const alice = await createUser('alice@example.com', { phone: '+33612345678', externalId: 'HR-1' });
    expect(alice).toMatchObject({
      email: 'alice@example.com',
      name: 'alice',
      phone: '+33612345678',
      externalId: 'HR-1',
      status: 'active',
      deviceCount: 0,
      disabledAt: null,
      offboardedAt: null,
      erasedAt: null,
    });
    const bob = await createUser('bob@example.com');

    const again = await call('/v1/users', { body: { email: 'ALICE@example.com', name: 'Alice again' } });
    expect(again.status).toBe(409);
    const { error } = await again.json();
    expect(error.message).toBe(`a user with e-mail ALICE@example.com already exists (${alice.id})`);

    const ids = async (query: string) =>
      (await json(`/v1/users${query}`)).data.map((u: { id: string }) => u.id);
    expect(await ids('')).toEqual([alice.id, bob.id]);
    expect(await ids('?email=BOB@Example.com')).toEqual([bob.id]);
    expect(await ids('?limit=1')).toEqual([alice.id]);
    expect(await json(`/v1/users/${bob.id}`)).toEqual(bob);

    const unknown = await call('/v1/users/01900000-0000-7000-8000-000000000001');
    expect(unknown.status).toBe(404);
    expect((await unknown.json()).error.message).toBe('user 01900000-0000-7000-8000-000000000001 not found');
    const badEmail = await call('/v1/users', { body: { email: 'not-an-address', name: 'X' } });
    expect(badEmail.status).toBe(400);
  });

  it('keeps each org to its own users', async () => {
    const first = await orgWithUsers(server);
    const second = await orgWithUsers(server);
    const alice = await first.createUser('alice@example.com');
    // The same address may have an account in another org.
    const aliceElsewhere = await second.createUser('alice@example.com');
    expect((await second.json('/v1/users')).data.map((u: { id: string }) => u.id)).toEqual([
      aliceElsewhere.id,
    ]);
    expect((await second.call(`/v1/users/${alice.id}`)).status).toBe(404);
  });

  it('needs the admin role to open or close accounts, and viewer to read them', async () => {
    const { org, call, createUser } = await orgWithUsers(server);
    const user = await createUser('carol@example.com');
    const byOperator = await call(
      '/v1/users',
      { body: { email: 'x@example.com', name: 'X' } },
      org.tokens.operator,
    );
    expect(byOperator.status).toBe(403);
    expect((await call(`/v1/users/${user.id}/disable`, { body: {} }, org.tokens.operator)).status).toBe(403);
    expect((await call(`/v1/users/${user.id}`, {}, org.tokens.viewer)).status).toBe(200);
  });

  it('imports all or nothing, naming each bad line, and reports the accounts that already exist', async () => {
    const { call, json, createUser } = await orgWithUsers(server);
    const existing = await createUser('dan@example.com');

    const bad = await call('/v1/users/import', {
      body: {
        users: [
          { line: 2, email: 'erin@example.com', name: 'Erin' },
          { line: 3, email: 'frank(at)example.com', name: 'Frank' },
          { line: 4, email: 'ERIN@example.com', name: 'Erin twice' },
          { line: 5, email: 'gina@example.com', name: 'Gina', phone: '0612' },
          { email: 'hal@example.com', name: '' },
        ],
      },
    });
    expect(bad.status).toBe(400);
    const { error } = await bad.json();
    expect(error.code).toBe('validation_failed');
    expect(error.details.issues).toEqual([
      { path: 'body.users.1.email', message: 'line 3: not a valid e-mail address' },
      {
        path: 'body.users.2.email',
        message: 'line 4: ERIN@example.com is also on line 2: give each user once',
      },
      {
        path: 'body.users.3.phone',
        message: expect.stringMatching(/^line 5: a phone number is in E\.164 form/),
      },
      { path: 'body.users.4.name', message: expect.not.stringMatching(/line/) },
    ]);
    expect(error.message).toBe('invalid body.users.1.email: line 3: not a valid e-mail address (and 3 more)');
    expect((await json('/v1/users')).data.map((u: { id: string }) => u.id)).toEqual([existing.id]);

    const rows = [
      { line: 2, email: 'erin@example.com', name: 'Erin', externalId: 'HR-2' },
      { line: 3, email: 'Dan@Example.com', name: 'Dan' },
      { line: 4, email: 'gina@example.com', name: 'Gina', phone: '+14155550199' },
    ];
    const first = await json('/v1/users/import', { body: { users: rows } });
    expect(first).toEqual({ created: 2, existing: [{ email: 'Dan@Example.com', id: existing.id, line: 3 }] });

    const listed = (await json('/v1/users')).data;
    expect(listed.map((u: Json) => [u.email, u.name, u.phone, u.externalId])).toEqual([
      ['dan@example.com', 'dan', null, null],
      ['erin@example.com', 'Erin', null, 'HR-2'],
      ['gina@example.com', 'Gina', '+14155550199', null],
    ]);
    const again = await json('/v1/users/import', {
      body: {
        users: [...rows.map(({ line: _, ...row }) => row), { email: 'ivan@example.com', name: 'Ivan' }],
      },
    });
    expect(again.created).toBe(1);
    const idOf = (email: string) => listed.find((u: Json) => u.email === email.toLowerCase()).id;
    expect(again.existing).toEqual(
      rows.map((row) => ({ email: row.email, id: idOf(row.email), line: null })),
    );
  });

  it('sets, filters on and clears the owner of a device', async () => {
    const { json, call, createUser, enrollOwnedBy } = await orgWithUsers(server);
    const other = await orgWithUsers(server);
    const alice = await createUser('alice@example.com');
    const owned = await enrollOwnedBy(alice.id);
    const unowned = await enrollOwnedBy(null);

    expect((await json(`/v1/devices/${owned.deviceId}`)).ownerId).toBe(alice.id);
    expect((await json(`/v1/devices/${unowned.deviceId}`)).ownerId).toBeNull();
    const ids = async (query: string) =>
      (await json(`/v1/devices${query}`)).data.map((d: { id: string }) => d.id);
    expect(await ids(`?ownerId=${alice.id}`)).toEqual([owned.deviceId]);
    expect((await json(`/v1/users/${alice.id}`)).deviceCount).toBe(1);

    const stranger = await other.createUser('stranger@example.com');
    const foreign = await call(`/v1/devices/${unowned.deviceId}`, {
      method: 'PATCH',
      body: { ownerId: stranger.id },
    });
    expect(foreign.status).toBe(404);
    expect((await foreign.json()).error.message).toBe(`user ${stranger.id} not found`);

    const cleared = await json(`/v1/devices/${owned.deviceId}`, { method: 'PATCH', body: { ownerId: null } });
    expect(cleared.ownerId).toBeNull();
    expect(await ids(`?ownerId=${alice.id}`)).toEqual([]);
    expect((await json(`/v1/users/${alice.id}`)).deviceCount).toBe(0);
  });

  it("refuses a disabled user's devices from their next call, and serves them again once enabled", async () => {
    const { json, call, createUser, enrollOwnedBy } = await orgWithUsers(server);
    const alice = await createUser('alice@example.com');
    const hers = await enrollOwnedBy(alice.id);
    const nobodys = await enrollOwnedBy(null);
    expect((await deviceApi(server, hers.credential, '/device/v1/checkin', {})).status).toBe(200);

    const disabled = await json(`/v1/users/${alice.id}/disable`, { body: {} });
    expect(disabled).toMatchObject({ status: 'disabled', disabledAt: expect.any(String) });
    for (const [path, body] of [
      ['/device/v1/checkin', {}],
      ['/device/v1/commands', undefined],
    ] as const) {
      const refused = await deviceApi(server, hers.credential, path, body);
      expect(refused.status).toBe(403);
      expect((await refused.json()).error).toMatchObject({
        code: 'device_disabled',
        message: "this device's user account is disabled: ask your administrator",
      });
    }
    expect((await deviceApi(server, nobodys.credential, '/device/v1/checkin', {})).status).toBe(200);
    expect((await json(`/v1/users?status=disabled`)).data.map((u: { id: string }) => u.id)).toEqual([
      alice.id,
    ]);

    const enabled = await json(`/v1/users/${alice.id}/enable`, { body: {} });
    expect(enabled).toMatchObject({ status: 'active', disabledAt: null });
    expect((await deviceApi(server, hers.credential, '/device/v1/checkin', {})).status).toBe(200);
    expect((await call(`/v1/users/01900000-0000-7000-8000-000000000002/disable`, { body: {} })).status).toBe(
      404,
    );
  });

  it('offboards: retires the devices, erases the personal data, anonymizes the events, refuses the credential', async () => {
    const { org, json, call, createUser, enrollOwnedBy } = await orgWithUsers(server);
    const alice = await createUser('alice@example.com', { phone: '+33612345678', externalId: 'HR-1' });
    const bob = await createUser('bob@example.com');
    const phone = await enrollOwnedBy(alice.id);
    const tablet = await enrollOwnedBy(alice.id);
    const bobs = await enrollOwnedBy(bob.id);
    const command = await json(`/v1/devices/${phone.deviceId}/commands`, { body: { type: 'lock' } });
    await storeLocations(server.db, org.id, phone.deviceId, alice.id, 3);
    await storeLocations(server.db, org.id, tablet.deviceId, alice.id, 2);
    await storeLocations(server.db, org.id, bobs.deviceId, bob.id, 4);

    const result = await json(`/v1/users/${alice.id}/offboard`, {
      body: { retireDevices: true, erasePersonalData: true },
    });
    expect(result).toMatchObject({ devicesRetired: 2, eventsDeleted: 0, eventsAnonymized: 5 });
    expect(result.user).toMatchObject({
      id: alice.id,
      status: 'offboarded',
      email: null,
      name: null,
      phone: null,
      externalId: null,
      deviceCount: 0,
      offboardedAt: expect.any(String),
      erasedAt: expect.any(String),
    });
    expect(await json(`/v1/users/${alice.id}`)).toEqual(result.user);

    for (const { deviceId, credential } of [phone, tablet]) {
      const device = await json(`/v1/devices/${deviceId}`);
      expect(device).toMatchObject({ status: 'retired', ownerId: alice.id });
      expect(device.facts.phoneNumber).toBeNull();
      expect((await deviceApi(server, credential, '/device/v1/checkin', {})).status).toBe(410);
    }
    expect((await json(`/v1/commands/${command.id}`)).status).toBe('canceled');
    const events = await server.db.query<{ device_id: string | null; user_id: string | null; data: Json }>(
      'SELECT device_id, user_id, data FROM device_events WHERE org_id = $1 ORDER BY id',
      [org.id],
    );
    expect(events.filter((e) => e.device_id === null)).toHaveLength(5);
    for (const event of events.filter((e) => e.device_id === null)) {
      expect(event).toMatchObject({
        user_id: null,
        data: { latitude: 48.9, longitude: 2.4, accuracyMeters: null },
      });
    }
    expect(events.filter((e) => e.user_id === bob.id)).toHaveLength(4);
    expect((await json(`/v1/devices/${bobs.deviceId}`)).facts.phoneNumber).toBe('+14155550123');
    expect((await deviceApi(server, bobs.credential, '/device/v1/checkin', {})).status).toBe(200);

    const newDevice = await enrollOwnedBy(null);
    const refused = await call(`/v1/devices/${newDevice.deviceId}`, {
      method: 'PATCH',
      body: { ownerId: alice.id },
    });
    expect(refused.status).toBe(409);
    expect((await refused.json()).error.message).toBe(
      `user ${alice.id} was offboarded: they cannot own new devices`,
    );
    expect((await call(`/v1/users/${alice.id}/enable`, { body: {} })).status).toBe(409);
    // The address is free again once erased.
    expect((await createUser('alice@example.com')).id).not.toBe(alice.id);
  });

  it('offboards without retiring: the devices stay enrolled but are refused; erasing deletes events when the org says so', async () => {
    const { org, json, createUser, enrollOwnedBy } = await orgWithUsers(server);
    await server.db.query("UPDATE orgs SET retention_action = 'delete' WHERE id = $1", [org.id]);
    const alice = await createUser('alice@example.com');
    const phone = await enrollOwnedBy(alice.id);
    await storeLocations(server.db, org.id, phone.deviceId, alice.id, 3);

    const offboarded = await json(`/v1/users/${alice.id}/offboard`, { body: {} });
    expect(offboarded).toMatchObject({ devicesRetired: 0, eventsDeleted: 0, eventsAnonymized: 0 });
    expect(offboarded.user).toMatchObject({
      status: 'offboarded',
      email: 'alice@example.com',
      erasedAt: null,
    });
    const refused = await deviceApi(server, phone.credential, '/device/v1/checkin', {});
    expect(refused.status).toBe(403);
    expect((await refused.json()).error.code).toBe('device_disabled');
    expect((await json(`/v1/devices/${phone.deviceId}`)).status).toBe('active');

    // Offboarding again erases what the first one kept.
    const erased = await json(`/v1/users/${alice.id}/offboard`, { body: { erasePersonalData: true } });
    expect(erased).toMatchObject({ devicesRetired: 0, eventsDeleted: 3, eventsAnonymized: 0 });
    expect(erased.user).toMatchObject({ email: null, offboardedAt: offboarded.user.offboardedAt });
    const [left] = await server.db.query<{ count: number }>(
      'SELECT count(*)::int AS count FROM device_events WHERE org_id = $1',
      [org.id],
    );
    expect(left!.count).toBe(0);
  });

  it("leaves a previous owner's events of a handed-over device out of the new owner's export and erasure", async () => {
    const { org, json, call, createUser, enrollOwnedBy } = await orgWithUsers(server);
    await server.db.query("UPDATE orgs SET retention_action = 'delete' WHERE id = $1", [org.id]);
    const bob = await createUser('bob@example.com');
    const alice = await createUser('alice@example.com');
    const phone = await enrollOwnedBy(null);
    await storeLocations(server.db, org.id, phone.deviceId, null, 1);
    await json(`/v1/devices/${phone.deviceId}`, { method: 'PATCH', body: { ownerId: bob.id } });
    await storeLocations(server.db, org.id, phone.deviceId, bob.id, 4);
    await json(`/v1/devices/${phone.deviceId}`, { method: 'PATCH', body: { ownerId: alice.id } });
    await storeLocations(server.db, org.id, phone.deviceId, alice.id, 2);

    const exported = JSON.parse(await (await call(`/v1/users/${alice.id}/data`)).text());
    expect(exported.events.map((e: Json) => e.userId)).toEqual([null, alice.id, alice.id]);

    const erased = await json(`/v1/users/${alice.id}/offboard`, { body: { erasePersonalData: true } });
    expect(erased).toMatchObject({ eventsDeleted: 3 });
    const left = await server.db.query<{ user_id: string }>(
      'SELECT user_id FROM device_events WHERE org_id = $1',
      [org.id],
    );
    expect(left.map((row) => row.user_id)).toEqual([bob.id, bob.id, bob.id, bob.id]);
  });

  it("keeps a device enrolled again its user's, and refuses it while that user is disabled or offboarded", async () => {
    const { org, json, createUser } = await orgWithUsers(server);
    const alice = await createUser('alice@example.com');
    const token = await org.enrollmentToken();
    const serial = `RE${randomUUID().slice(0, 8)}`;
    // A new enrollment of the same hardware, not the retry of an earlier one.
    const enrollAgain = () =>
      fetch(`${server.url}/device/v1/enroll`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ enrollmentToken: token, requestId: randomUUID(), facts: facts({ serial }) }),
      });
    const enrolled = async () => {
      const response = await enrollAgain();
      expect(response.status).toBe(201);
      return (await response.json()).deviceId as string;
    };
    const events = async () =>
      (
        await server.db.query<{ count: number }>(
          'SELECT count(*)::int AS count FROM device_events WHERE org_id = $1 AND device_id IS NOT NULL',
          [org.id],
        )
      )[0]!.count;

    const first = await enrolled();
    await json(`/v1/devices/${first}`, { method: 'PATCH', body: { ownerId: alice.id } });
    const second = await enrolled();
    expect(await json(`/v1/devices/${second}`)).toMatchObject({ ownerId: alice.id, enrollmentGeneration: 2 });
    expect((await json(`/v1/devices/${first}`)).status).toBe('retired');
    await storeLocations(server.db, org.id, second, alice.id, 3);

    await json(`/v1/users/${alice.id}/disable`, { body: {} });
    const refused = await enrollAgain();
    expect(refused.status).toBe(403);
    expect((await refused.json()).error).toMatchObject({
      code: 'device_disabled',
      message: "this device's user account is disabled: ask your administrator",
    });
    // Refused before anything changed: the enrolled device and its events are as they were.
    expect((await json(`/v1/devices/${second}`)).status).toBe('active');
    expect(await events()).toBe(3);
    expect((await json(`/v1/devices?status=all&ownerId=${alice.id}`)).data).toHaveLength(2);

    await json(`/v1/users/${alice.id}/enable`, { body: {} });
    const third = await enrolled();
    expect(await json(`/v1/devices/${third}`)).toMatchObject({ ownerId: alice.id, enrollmentGeneration: 3 });

    await json(`/v1/users/${alice.id}/offboard`, { body: { retireDevices: true } });
    const offboarded = await enrollAgain();
    expect(offboarded.status).toBe(403);
    expect((await offboarded.json()).error.code).toBe('device_disabled');
    expect((await json(`/v1/devices?status=all&ownerId=${alice.id}`)).data).toHaveLength(3);
  });

  it("erases a device's events as soon as it is retired", async () => {
    const { org, json, enrollOwnedBy } = await orgWithUsers(server);
    const kept = await enrollOwnedBy(null);
    const retired = await enrollOwnedBy(null);
    await storeLocations(server.db, org.id, kept.deviceId, null, 2);
    await storeLocations(server.db, org.id, retired.deviceId, null, 3);
    await json(`/v1/devices/${retired.deviceId}/retire`, { body: {} });
    const rows = await server.db.query<{ device_id: string | null; anonymized: boolean }>(
      `SELECT device_id, anonymized_at IS NOT NULL AS anonymized FROM device_events WHERE org_id = $1 ORDER BY id`,
      [org.id],
    );
    expect(rows).toEqual([
      { device_id: kept.deviceId, anonymized: false },
      { device_id: kept.deviceId, anonymized: false },
      { device_id: null, anonymized: true },
      { device_id: null, anonymized: true },
      { device_id: null, anonymized: true },
    ]);
  });

  it("exports exactly one user's records, every event of theirs in order, as one streamed JSON object", async () => {
    const { org, json, call, createUser, enrollOwnedBy } = await orgWithUsers(server);
    const alice = await createUser('alice@example.com');
    const bob = await createUser('bob@example.com');
    const phone = await enrollOwnedBy(alice.id);
    const tablet = await enrollOwnedBy(alice.id);
    const bobs = await enrollOwnedBy(bob.id);
    const apps = Array.from({ length: 3 }, (_, i) => ({
      packageId: `com.example.a${i}`,
      name: `A${i}`,
      version: '1',
    }));
    await deviceApi(server, phone.credential, '/device/v1/checkin', { apps });
    const aliceCommand = await json(`/v1/devices/${phone.deviceId}/commands`, { body: { type: 'lock' } });
    await json(`/v1/devices/${bobs.deviceId}/commands`, { body: { type: 'lock' } });
    await json(`/v1/users/${alice.id}/disable`, { body: {} });
    await json(`/v1/users/${alice.id}/enable`, { body: {} });
    await json(`/v1/devices/${bobs.deviceId}`, { method: 'PATCH', body: { labels: ['bob'] } });
    // More events than one read holds, so the export goes through several batches.
    await storeLocations(server.db, org.id, phone.deviceId, alice.id, 2300);
    await storeLocations(server.db, org.id, tablet.deviceId, null, 2);
    await storeLocations(server.db, org.id, bobs.deviceId, bob.id, 5);
    // Received from Bob's device while Alice owned it.
    await storeLocations(server.db, org.id, bobs.deviceId, alice.id, 1);

    const response = await call(`/v1/users/${alice.id}/data`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const text = await response.text();
    const data = JSON.parse(text);
    expect(Object.keys(data)).toEqual([...USER_DATA_EXPORT_KEYS]);
    expect(data.user).toEqual(await json(`/v1/users/${alice.id}`));
    expect(data.devices.map((d: Json) => d.id)).toEqual([phone.deviceId, tablet.deviceId]);
    expect(data.devices[0]).toEqual({
      ...(await json(`/v1/devices/${phone.deviceId}`)),
      apps: apps.map((a) => ({ ...a, installer: null, certificate: null })),
    });
    expect(data.devices[1].apps).toEqual([]);

    expect(data.events).toHaveLength(2303);
    const ids = data.events.map((e: { id: string }) => BigInt(e.id));
    expect(ids.every((id: bigint, i: number) => i === 0 || id > ids[i - 1])).toBe(true);
    expect(data.events.filter((e: Json) => e.deviceId === bobs.deviceId).map((e: Json) => e.userId)).toEqual([
      alice.id,
    ]);
    expect(data.events[0]).toMatchObject({
      category: 'location',
      anonymized: false,
      data: PARIS,
      userId: alice.id,
    });

    expect(data.commands.map((c: Json) => c.id)).toEqual([aliceCommand.id]);
    expect(data.activity.map((a: Json) => a.action)).toEqual([
      'users.create',
      'devices.update',
      'devices.update',
      'devices.sendCommand',
      'users.disable',
      'users.enable',
    ]);
    expect(data.activity[4].changes).toEqual({
      before: { status: 'active', disabledAt: null },
      after: { status: 'disabled', disabledAt: expect.any(String) },
    });
    expect(text).not.toContain(bob.id);
    expect(text).not.toContain('bob@example.com');

    const unknown = await call('/v1/users/01900000-0000-7000-8000-000000000003/data');
    expect(unknown.status).toBe(404);
    expect((await unknown.json()).error.code).toBe('not_found');
  });
});

const databaseUrl = process.env.FLEETOPS_TEST_DATABASE_URL;

/** Two servers sharing one PostgreSQL database: disabling through one holds on the other at once. */
describe.skipIf(!databaseUrl)('user status across replicas', () => {
  const replicas: Awaited<ReturnType<typeof startApp>>[] = [];
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const isolated = await openIsolatedPostgres(databaseUrl!);
    drop = isolated.drop;
    await isolated.db.close();
    for (let i = 0; i < 2; i++) replicas.push(await startApp(await openPostgres(isolated.url)));
  });
  afterAll(async () => {
    for (const replica of replicas) await replica.close();
    await drop?.();
  });

  it('refuses a device on one replica as soon as its user is disabled through the other', async () => {
    const [a, b] = replicas as [(typeof replicas)[0], (typeof replicas)[0]];
    const org = (await a.services.orgs.first())!;
    const admin = (await a.services.apiTokens.create(org.id, 'users-replicas', 'admin')).token;
    const enrollment = await a.services.enrollmentTokens.create(
      org.id,
      { group: 'default', mode: 'COPE', expiresInSeconds: 3600, maxUses: null },
      a.url,
    );
    const adminCall = async (base: string, path: string, body: unknown, method = 'POST') =>
      (
        await fetch(base + path, {
          method,
          headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        })
      ).json();
    const harnessOf = (url: string) => ({ url }) as Harness;
    const device = await enroll(harnessOf(a.url), enrollment.token);
    const user = await adminCall(a.url, '/v1/users', { email: 'replica@example.com', name: 'Replica' });
    await adminCall(a.url, `/v1/devices/${device.deviceId}`, { ownerId: user.id }, 'PATCH');
    const checkInOnB = () => deviceApi(harnessOf(b.url), device.credential, '/device/v1/checkin', {});
    expect((await checkInOnB()).status).toBe(200);

    await adminCall(a.url, `/v1/users/${user.id}/disable`, {});
    const refused = await checkInOnB();
    expect(refused.status).toBe(403);
    expect((await refused.json()).error.code).toBe('device_disabled');

    await adminCall(a.url, `/v1/users/${user.id}/enable`, {});
    expect((await checkInOnB()).status).toBe(200);
  });
});
