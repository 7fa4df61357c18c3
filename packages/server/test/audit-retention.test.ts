import type { ActivityEntry, DeviceEvent, RetentionRunResult } from '@fleetops/protocol';
import { expect, it } from 'vitest';
import { lockChain } from '../src/repositories/activity/append';
import { eraseEvents } from '../src/repositories/events/erase';
import { runRetention as retentionPass } from '../src/repositories/events/retention';
import { auditApi, event, type TestDevice } from './audit-fixtures';
import { describeStores, type TestOrg } from './harness';

/** Personal values of the sample events, as anonymization leaves them. */
const ANONYMIZED_DATA = {
  location: { latitude: 48.9, longitude: 2.4, accuracyMeters: null, source: 'gps' },
  callLog: { direction: 'outgoing', number: null, durationSeconds: 42 },
  networkInfo: { networkType: 'wifi', ssid: null, ipAddress: null, carrier: null },
  fileVirusScan: { path: null, verdict: 'infected', threat: 'Android.Trojan.Agent' },
  signInOut: { kind: 'sign-in', method: 'password' },
};

const personalEvents = () => [
  event('location'),
  event('callLog'),
  event('networkInfo'),
  event('fileVirusScan'),
  event('signInOut'),
];

describeStores('device audit event retention and erasure', (server) => {
  const audit = auditApi(server);

  /** Makes the events of `eventIds` past their retention, as if their time had come. */
  const expire = (org: TestOrg, eventIds: string[]) =>
    server.db.query(
      "UPDATE device_events SET expires_at = now() - interval '1 second' WHERE org_id = $1 AND event_id = ANY($2::uuid[])",
      [org.id, eventIds],
    );

  const runRetention = async (org: TestOrg): Promise<RetentionRunResult> => {
    const response = await server.api(org.tokens.admin, '/v1/audit/retention/run', { method: 'POST' });
    expect(response.status).toBe(200);
    return response.json();
  };

  const sum = (results: RetentionRunResult[]) => ({
    deleted: results.reduce((n, r) => n + r.deleted, 0),
    anonymized: results.reduce((n, r) => n + r.anonymized, 0),
  });

  const expectAnonymized = (events: DeviceEvent[]) => {
    for (const e of events) {
      expect(e).toMatchObject({ deviceId: null, userId: null, anonymized: true });
      expect(e.data).toMatchObject(ANONYMIZED_DATA[e.category as keyof typeof ANONYMIZED_DATA]);
    }
  };

  it('deletes or anonymizes the events past retention as the org chose, once, however many passes run', async () => {
    const deleting = await audit.orgWithDevice();
    const anonymizing = await audit.orgWithDevice();
    expect((await audit.settings(deleting.org, { retentionAction: 'delete' })).retentionAction).toBe(
      'delete',
    );

    const kept = new Map<string, string>();
    for (const { org, device } of [deleting, anonymizing]) {
      const old = personalEvents();
      const fresh = event('location');
      await audit.uploadOk(device, [...old, fresh]);
      await expire(
        org,
        old.map((e) => e.eventId),
      );
      kept.set(org.id, fresh.eventId);
    }

    expect(sum(await Promise.all([runRetention(deleting.org), runRetention(deleting.org)]))).toEqual({
      deleted: 5,
      anonymized: 0,
    });
    expect((await audit.listAll(deleting.org)).map((e) => e.eventId)).toEqual([kept.get(deleting.org.id)]);
    // One org's run leaves the other org's due events alone.
    expect((await audit.listAll(anonymizing.org)).filter((e) => e.anonymized)).toEqual([]);

    expect(sum(await Promise.all([runRetention(anonymizing.org), runRetention(anonymizing.org)]))).toEqual({
      deleted: 0,
      anonymized: 5,
    });
    const events = await audit.listAll(anonymizing.org);
    expect(events).toHaveLength(6);
    expectAnonymized(events.filter((e) => e.eventId !== kept.get(anonymizing.org.id)));
    expect(events.find((e) => e.eventId === kept.get(anonymizing.org.id))).toMatchObject({
      deviceId: anonymizing.device.deviceId,
      anonymized: false,
      data: { latitude: 48.85661, accuracyMeters: 12.5 },
    });
    expect(await runRetention(anonymizing.org)).toEqual({ deleted: 0, anonymized: 0 });
  });

  it("runs over every org in the sweeper's pass, and concurrent passes count each event once", async () => {
    const first = await audit.orgWithDevice();
    const second = await audit.orgWithDevice();
    await audit.settings(second.org, { retentionAction: 'delete' });
    for (const { org, device } of [first, second]) {
      const events = Array.from({ length: 40 }, () => event('location'));
      await audit.uploadOk(device, events);
      await expire(
        org,
        events.map((e) => e.eventId),
      );
    }
    // The sweeper's pass beside passes of small batches, so that they take turns over the same rows.
    const passes = await Promise.all([
      server.services.events.runRetention(),
      retentionPass(server.db, null, 5),
      retentionPass(server.db, null, 7),
    ]);
    expect(sum(passes)).toEqual({ deleted: 40, anonymized: 40 });
    expect(await audit.listAll(second.org)).toEqual([]);
    expectAnonymized(await audit.listAll(first.org));
  });

  it('commits its batches as it goes, and logs the pass with its counts once it ended', async () => {
    const { org, device } = await audit.orgWithDevice();
    const due = personalEvents();
    await audit.uploadOk(device, due);
    await expire(
      org,
      due.map((e) => e.eventId),
    );
    const anonymized = async () =>
      (
        await server.db.query<{ count: number }>(
          'SELECT count(*)::int AS count FROM device_events WHERE org_id = $1 AND anonymized_at IS NOT NULL',
          [org.id],
        )
      )[0]!.count;

    let pass: Promise<RetentionRunResult>;
    if (server.db.dialect === 'postgres') {
      // Another connection holds the org's log: the pass's entry waits, its batches need not.
      let release!: () => void;
      const held = new Promise<void>((resolve) => {
        release = resolve;
      });
      let holding!: () => void;
      const holds = new Promise<void>((resolve) => {
        holding = resolve;
      });
      const holder = server.db.transaction(async (tx) => {
        await lockChain(tx, org.id);
        holding();
        await held;
      });
      await holds;
      pass = runRetention(org);
      const waiting = () =>
        server.db.query(
          `SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND NOT granted
             AND classid = 7412006 AND objid = (hashtext($1)::bigint & 4294967295)::oid`,
          [org.id],
        );
      try {
        while ((await waiting()).length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
        expect(await anonymized()).toBe(due.length);
      } finally {
        release();
        await holder;
      }
    } else {
      pass = runRetention(org);
    }
    expect(await pass).toEqual({ deleted: 0, anonymized: due.length });
    expect(await anonymized()).toBe(due.length);

    const log = await server.api(org.tokens.auditor, '/v1/audit/activity?action=retention.run');
    const entries: ActivityEntry[] = (await log.json()).data;
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      action: 'retention.run',
      target: { type: 'org', id: org.id },
      changes: { after: { deleted: 0, anonymized: due.length } },
    });
  });

  it("erases a device's or a user's events at once, deleted or anonymized", async () => {
    const org = await server.newOrg();
    const [lost, shared, owned] = (await audit.devices(org, 3)) as [TestDevice, TestDevice, TestDevice];
    const { applyPolicy } = audit;
    await applyPolicy(org, { audit: { location: { enabled: true }, callLog: { enabled: true } } }, ['field']);
    const user = await (
      await server.api(org.tokens.admin, '/v1/users', {
        method: 'POST',
        body: { email: 'erin@example.com', name: 'Erin' },
      })
    ).json();
    const patch = (device: TestDevice, ownerId: string | null) =>
      server.api(org.tokens.admin, `/v1/devices/${device.deviceId}`, { method: 'PATCH', body: { ownerId } });

    await audit.uploadOk(lost, [event('location'), event('callLog')]);
    // Received while Erin owned the shared device, then it was handed on: still Erin's.
    expect((await patch(shared, user.id)).status).toBe(200);
    await audit.uploadOk(shared, [event('location')]);
    expect((await patch(shared, null)).status).toBe(200);
    await audit.uploadOk(shared, [event('location')]);
    expect((await patch(owned, user.id)).status).toBe(200);
    await audit.uploadOk(owned, [event('callLog'), event('location')]);

    expect(await eraseEvents(server.db, org.id, { deviceIds: [lost.deviceId] }, 'delete')).toEqual({
      deleted: 2,
      anonymized: 0,
    });
    expect(await audit.listAll(org, `deviceId=${lost.deviceId}`)).toEqual([]);

    expect(await eraseEvents(server.db, org.id, { userId: user.id }, 'anonymize')).toEqual({
      deleted: 0,
      anonymized: 3,
    });
    expect(await eraseEvents(server.db, org.id, { userId: user.id }, 'anonymize')).toEqual({
      deleted: 0,
      anonymized: 0,
    });
    const events = await audit.listAll(org);
    expect(events).toHaveLength(4);
    expectAnonymized(events.filter((e) => e.anonymized));
    expect(events.filter((e) => !e.anonymized).map((e) => e.deviceId)).toEqual([shared.deviceId]);

    const stranger = await server.newOrg();
    expect(await eraseEvents(server.db, stranger.id, { deviceIds: [shared.deviceId] }, 'delete')).toEqual({
      deleted: 0,
      anonymized: 0,
    });
    expect(await eraseEvents(server.db, org.id, { deviceIds: [] }, 'delete')).toEqual({
      deleted: 0,
      anonymized: 0,
    });
  });
});
