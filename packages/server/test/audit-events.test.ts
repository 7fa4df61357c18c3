import { AUDIT_CATEGORIES, type DeviceConsent, type DeviceEvent } from '@fleetops/protocol';
import { expect, it } from 'vitest';
import { ALL_GRANTED, auditApi, COLLECT_ALL, collect, event, oneOfEach } from './audit-fixtures';
import { describeStores, type TestOrg } from './harness';

const sortDrops = (drops: { category: string; reason: string; count: number }[]) =>
  [...drops].sort((a, b) => `${a.category}/${a.reason}`.localeCompare(`${b.category}/${b.reason}`));

describeStores('device audit events', (server) => {
  const audit = auditApi(server);
  const consentOf = async (org: TestOrg, deviceId: string): Promise<DeviceConsent> => {
    const response = await server.api(org.tokens.viewer, `/v1/devices/${deviceId}/consent`);
    expect(response.status).toBe(200);
    return response.json();
  };
  const category = (consent: DeviceConsent, name: string) =>
    consent.categories.find((c) => c.category === name)!;

  it('stores what the policy collects and the user allows; drops and counts the rest, by reason', async () => {
    const { org, device } = await audit.orgWithDevice(
      { audit: collect('location', 'callLog', 'operationLogs') },
      { ...ALL_GRANTED, callLog: false },
    );
    const report = await audit.uploadOk(device, [
      event('location'),
      event('location'),
      event('callLog'),
      event('appUsage'),
      event('appUsage'),
      event('operationLogs'),
    ]);
    expect(report).toMatchObject({ accepted: 3, duplicates: 0, rejected: [] });
    expect(sortDrops(report.dropped)).toEqual([
      { category: 'appUsage', reason: 'policy', count: 2 },
      { category: 'callLog', reason: 'consent', count: 1 },
    ]);

    const stored = await audit.listAll(org);
    expect(stored.map((e) => e.category).sort()).toEqual(['location', 'location', 'operationLogs']);
    expect(stored.every((e) => e.deviceId === device.deviceId && !e.anonymized)).toBe(true);

    const consent = await consentOf(org, device.deviceId);
    expect(consent.grants).toEqual({ ...ALL_GRANTED, callLog: false });
    expect(consent.categories.map((c) => c.category)).toEqual([...AUDIT_CATEGORIES]);
    expect(category(consent, 'location')).toMatchObject({
      permission: 'location',
      policyEnabled: true,
      permissionGranted: true,
      collecting: true,
      retention: '90d',
      stored: 2,
      dropped: { policy: 0, consent: 0 },
      lastDroppedAt: null,
    });
    expect(category(consent, 'callLog')).toMatchObject({
      policyEnabled: true,
      permissionGranted: false,
      collecting: false,
      stored: 0,
      dropped: { policy: 0, consent: 1 },
    });
    expect(category(consent, 'callLog').lastDroppedAt).not.toBeNull();
    expect(category(consent, 'appUsage')).toMatchObject({
      policyEnabled: false,
      collecting: false,
      dropped: { policy: 2, consent: 0 },
    });
    expect(category(consent, 'operationLogs')).toMatchObject({
      permission: null,
      permissionGranted: true,
      collecting: true,
      stored: 1,
    });

    await audit.uploadOk(device, [event('appUsage')]);
    expect(category(await consentOf(org, device.deviceId), 'appUsage').dropped.policy).toBe(3);
  });

  it('stops storing a category from the next upload once the user revokes its permission at check-in', async () => {
    const { org, device } = await audit.orgWithDevice({ audit: collect('location') });
    expect((await audit.uploadOk(device, [event('location')])).accepted).toBe(1);
    await audit.checkIn(device, { ...ALL_GRANTED, location: false });
    const report = await audit.uploadOk(device, [event('location'), event('location')]);
    expect(report).toMatchObject({
      accepted: 0,
      dropped: [{ category: 'location', reason: 'consent', count: 2 }],
    });
    expect(await audit.listAll(org)).toHaveLength(1);
    expect(category(await consentOf(org, device.deviceId), 'location')).toMatchObject({
      permissionGranted: false,
      collecting: false,
      stored: 1,
      dropped: { consent: 2 },
    });
    await audit.checkIn(device, ALL_GRANTED);
    expect((await audit.uploadOk(device, [event('location')])).accepted).toBe(1);
  });

  it('keeps events for the policy retention, else the org setting, else 90 days', async () => {
    const { org, device } = await audit.orgWithDevice({
      audit: COLLECT_ALL,
      retention: { location: '30d' },
    });
    const settings = await audit.settings(org, { retention: { location: '1d', callLog: '7d' } });
    expect(settings).toMatchObject({
      retention: { location: '1d', callLog: '7d' },
      retentionAction: 'anonymize',
    });
    expect(await (await server.api(org.tokens.viewer, '/v1/settings')).json()).toEqual(settings);

    const consent = await consentOf(org, device.deviceId);
    expect(category(consent, 'location').retention).toBe('30d');
    expect(category(consent, 'callLog').retention).toBe('7d');
    expect(category(consent, 'appUsage').retention).toBe('90d');

    await audit.uploadOk(device, [event('location'), event('callLog'), event('appUsage')]);
    const kept = await server.db.query<{ category: string; days: number }>(
      `SELECT category, extract(epoch FROM expires_at - received_at)::float8 / 86400 AS days
       FROM device_events WHERE org_id = $1 ORDER BY category`,
      [org.id],
    );
    expect(kept).toEqual([
      { category: 'appUsage', days: 90 },
      { category: 'callLog', days: 7 },
      { category: 'location', days: 30 },
    ]);

    const bad = await server.api(org.tokens.admin, '/v1/settings', {
      method: 'PATCH',
      body: { retention: { location: 'forever' } },
    });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.message).toContain('retention.location');
  });

  it('checks each item alone: the valid ones are stored, the others reported by index with a 422', async () => {
    const { org, device } = await audit.orgWithDevice();
    const good = [event('location'), event('signInOut')];
    const unknown = { ...event('location'), category: 'heartbeat' };
    const response = await audit.upload(device, [
      good[0],
      event('location', { latitude: 123 }),
      unknown,
      'not an event',
      good[1],
      { ...event('networkInfo'), data: { networkType: 'wifi' } },
    ]);
    expect(response.status).toBe(422);
    const { error } = await response.json();
    expect(error.code).toBe('validation_failed');
    expect(error.message).toMatch(/^4 of 6 events rejected/);
    expect(error.details).toMatchObject({ accepted: 2, duplicates: 0, dropped: [] });
    expect(error.details.rejected).toEqual([
      {
        index: 1,
        eventId: expect.any(String),
        code: 'invalid_event',
        message: expect.stringMatching(/^data\.latitude: /),
      },
      {
        index: 2,
        eventId: (unknown as { eventId: string }).eventId,
        code: 'unknown_category',
        message: expect.stringContaining('unknown category "heartbeat"'),
      },
      { index: 3, eventId: null, code: 'invalid_event', message: expect.stringContaining('expected object') },
      {
        index: 5,
        eventId: expect.any(String),
        code: 'invalid_event',
        message: expect.stringMatching(/^data\.ssid: /),
      },
    ]);
    const stored = await audit.listAll(org);
    expect(stored.map((e) => e.eventId).sort()).toEqual(good.map((e) => e.eventId).sort());
  });

  it('refuses a batch over 1,000 events, a body over 2 MB, and an upload for another device', async () => {
    const { org, device } = await audit.orgWithDevice();
    const tooMany = await audit.upload(
      device,
      Array.from({ length: 1001 }, () => event('signInOut')),
    );
    expect(tooMany.status).toBe(400);
    expect((await tooMany.json()).error.message).toContain('at most 1000 events');

    const huge = await audit.upload(device, [{ ...event('signInOut'), padding: 'x'.repeat(2_200_000) }]);
    expect(huge.status).toBe(413);
    expect((await huge.json()).error.code).toBe('payload_too_large');

    const [other] = await audit.devices(org, 1);
    const forbidden = await audit.upload(device, [event('location')], other!.deviceId);
    expect(forbidden.status).toBe(403);
    expect((await forbidden.json()).error).toMatchObject({
      code: 'forbidden',
      message: expect.stringContaining('its own events only'),
    });
    expect(await audit.listAll(org)).toEqual([]);
  });

  it("stores a skewed device clock's time as sent, beside the time the server received it", async () => {
    const { org, device } = await audit.orgWithDevice();
    const before = Date.now();
    await audit.uploadOk(device, [
      event('signInOut', {}, '2035-06-01T08:00:00.000Z'),
      event('signInOut', {}, '2001-01-01T00:00:00.000+02:00'),
    ]);
    const after = Date.now();
    const stored = await audit.listAll(org);
    expect(stored.map((e) => e.occurredAt)).toEqual(['2035-06-01T08:00:00.000Z', '2000-12-31T22:00:00.000Z']);
    for (const e of stored) {
      const received = Date.parse(e.receivedAt);
      // The server's clock is read by the database: allow it a second either side of this process's.
      expect(received).toBeGreaterThanOrEqual(before - 1000);
      expect(received).toBeLessThanOrEqual(after + 1000);
    }
  });

  it('stores a re-sent event once and counts it as a duplicate', async () => {
    const { org, device } = await audit.orgWithDevice();
    const batch = oneOfEach();
    expect(await audit.uploadOk(device, batch)).toMatchObject({ accepted: 8, duplicates: 0 });
    expect(await audit.uploadOk(device, [...batch, event('location')])).toMatchObject({
      accepted: 1,
      duplicates: 8,
    });
    const twice = event('signInOut');
    expect(await audit.uploadOk(device, [twice, twice])).toMatchObject({ accepted: 1, duplicates: 1 });
    expect(await audit.listAll(org)).toHaveLength(10);
  });

  it('lists events in id order by category, device, group, user and time, page by page', async () => {
    const org = await server.newOrg();
    const [field1, field2] = await audit.devices(org, 2, ALL_GRANTED, 'field');
    const [office] = await audit.devices(org, 1, ALL_GRANTED, 'office');
    await audit.applyPolicy(org, { audit: COLLECT_ALL }, ['field', 'office']);
    const user = await (
      await server.api(org.tokens.admin, '/v1/users', {
        method: 'POST',
        body: { email: 'dana@example.com', name: 'Dana' },
      })
    ).json();
    const owned = await server.api(org.tokens.admin, `/v1/devices/${field2!.deviceId}`, {
      method: 'PATCH',
      body: { ownerId: user.id },
    });
    expect(owned.status).toBe(200);

    await audit.uploadOk(field1!, [
      event('location', {}, '2025-01-01T10:00:00.000Z'),
      event('callLog', {}, '2025-01-02T10:00:00.000Z'),
    ]);
    await audit.uploadOk(field2!, [
      event('location', {}, '2025-01-03T10:00:00.000Z'),
      event('appUsage', {}, '2025-01-04T10:00:00.000Z'),
    ]);
    await audit.uploadOk(office!, [
      event('networkInfo', {}, '2025-01-05T10:00:00.000Z'),
      event('location', {}, '2025-01-06T10:00:00.000Z'),
    ]);

    const all = await audit.listAll(org);
    expect(all).toHaveLength(6);
    expect(all.map((e) => BigInt(e.id))).toEqual(
      [...all.map((e) => BigInt(e.id))].sort((a, b) => (a < b ? -1 : 1)),
    );
    const times = async (query: string) =>
      (await audit.listAll(org, query)).map((e) => e.occurredAt.slice(0, 10));
    expect(await times('category=location,call-log')).toEqual([
      '2025-01-01',
      '2025-01-02',
      '2025-01-03',
      '2025-01-06',
    ]);
    expect(await times('category=network-info&category=appUsage')).toEqual(['2025-01-04', '2025-01-05']);
    expect(await times(`deviceId=${field1!.deviceId}`)).toEqual(['2025-01-01', '2025-01-02']);
    expect(await times('group=office')).toEqual(['2025-01-05', '2025-01-06']);
    expect(await times(`userId=${user.id}`)).toEqual(['2025-01-03', '2025-01-04']);
    expect(
      (await audit.listAll(org, `userId=${user.id}`)).every((e: DeviceEvent) => e.userId === user.id),
    ).toBe(true);
    expect(await times('since=2025-01-02T10:00:00Z&until=2025-01-05T10:00:00Z')).toEqual([
      '2025-01-02',
      '2025-01-03',
      '2025-01-04',
    ]);
    expect(await times('group=office&category=location')).toEqual(['2025-01-06']);

    const paged: DeviceEvent[] = [];
    let cursor: string | null = null;
    do {
      const page = await (
        await server.api(org.tokens.auditor, `/v1/audit/events?limit=4${cursor ? `&cursor=${cursor}` : ''}`)
      ).json();
      expect(page.data.length).toBeLessThanOrEqual(4);
      paged.push(...page.data);
      cursor = page.nextCursor;
    } while (cursor);
    expect(paged).toEqual(all);

    const unknown = await server.api(org.tokens.auditor, '/v1/audit/events?category=weather');
    expect(unknown.status).toBe(400);
    expect((await unknown.json()).error.message).toContain('unknown category "weather"');
    const badCursor = await server.api(org.tokens.auditor, '/v1/audit/events?cursor=nope');
    expect(badCursor.status).toBe(400);
    expect((await server.api(org.tokens.viewer, '/v1/audit/events')).status).toBe(403);

    const stranger = await server.newOrg();
    expect(await audit.listAll(stranger)).toEqual([]);
    expect((await server.api(stranger.tokens.viewer, `/v1/devices/${field1!.deviceId}/consent`)).status).toBe(
      404,
    );
  });

  it('refuses a cursor or an `after` past the largest id with 400, and takes the largest id itself', async () => {
    const { org, device } = await audit.orgWithDevice();
    await audit.uploadOk(device, [event('location')]);
    const cursor = (after: string) => Buffer.from(JSON.stringify({ after })).toString('base64url');
    const largest = '9223372036854775807';
    const past = '9223372036854775808';
    const get = (path: string) => server.api(org.tokens.auditor, path);

    for (const [path, code] of [
      [`/v1/audit/events?cursor=${cursor(past)}`, 'bad_request'],
      [`/v1/audit/activity?cursor=${cursor(past)}`, 'bad_request'],
      [`/v1/audit/events/export?after=${past}`, 'validation_failed'],
      [`/v1/audit/events/export?after=${'9'.repeat(19)}`, 'validation_failed'],
    ] as const) {
      const refused = await get(path);
      expect(refused.status).toBe(400);
      expect((await refused.json()).error.code).toBe(code);
    }
    expect((await (await get(`/v1/audit/events?cursor=${cursor(largest)}`)).json()).data).toEqual([]);
    expect((await (await get(`/v1/audit/activity?cursor=${cursor(largest)}`)).json()).data).toEqual([]);
    const rest = await get(`/v1/audit/events/export?after=${largest}`);
    expect(rest.status).toBe(200);
    expect(await rest.text()).toBe('');
  });
});
