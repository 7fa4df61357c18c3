import { expect, it } from 'vitest';
import { describeStores, deviceApi, enroll } from './harness';

describeStores('devices', (server) => {
  it('pages through every device exactly once, in a stable order, while more devices enroll', async () => {
    const org = await server.newOrg();
    const token = await org.enrollmentToken();
    const before = [];
    for (let i = 0; i < 120; i++) before.push((await enroll(server, token)).deviceId);

    const seen: string[] = [];
    let cursor: string | null = null;
    let enrolling = Promise.resolve();
    do {
      const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
      const page = await (await server.api(org.tokens.viewer, `/v1/devices?limit=25${query}`)).json();
      seen.push(...page.data.map((d: { id: string }) => d.id));
      cursor = page.nextCursor;
      // New devices enroll between page requests.
      enrolling = enrolling.then(async () => {
        for (let i = 0; i < 5; i++) await enroll(server, token);
      });
      await enrolling;
    } while (cursor);

    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.slice(0, 120)).toEqual(before);
    expect([...seen].sort()).toEqual(seen);
  });

  it('filters by os, group, label, model and last-seen', async () => {
    const org = await server.newOrg();
    const sales = await org.enrollmentToken({ group: 'sales' });
    const ops = await org.enrollmentToken({ group: 'ops' });
    const pixel = await enroll(server, sales);
    const iphone = await enroll(server, sales, {
      os: 'ios',
      brand: 'Apple',
      model: 'iPhone 15',
      androidId: null,
    });
    const galaxy = await enroll(server, ops, { brand: 'Samsung', model: 'Galaxy S23' });
    await server.api(org.tokens.operator, `/v1/devices/${galaxy.deviceId}`, {
      method: 'PATCH',
      body: { addLabels: ['kiosk'] },
    });
    await server.db.query("UPDATE devices SET last_seen_at = now() - interval '20 days' WHERE id = $1", [
      pixel.deviceId,
    ]);

    const ids = async (query: string) =>
      (await (await server.api(org.tokens.viewer, `/v1/devices?${query}`)).json()).data.map(
        (d: { id: string }) => d.id,
      );
    expect(await ids('os=ios')).toEqual([iphone.deviceId]);
    expect(await ids('group=sales')).toEqual([pixel.deviceId, iphone.deviceId]);
    expect(await ids('label=kiosk')).toEqual([galaxy.deviceId]);
    expect(await ids('model=galaxy%20s23')).toEqual([galaxy.deviceId]);
    const fortnightAgo = new Date(Date.now() - 14 * 86_400_000).toISOString();
    expect(await ids(`lastSeenBefore=${fortnightAgo}`)).toEqual([pixel.deviceId]);
    expect(await ids(`lastSeenAfter=${fortnightAgo}`)).toEqual([iphone.deviceId, galaxy.deviceId]);

    const bad = await server.api(org.tokens.viewer, '/v1/devices?os=windows');
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.message).toMatch(/^invalid query\.os/);
  });

  it('replaces, adds and removes labels, and moves a device to another group', async () => {
    const org = await server.newOrg();
    const { deviceId } = await enroll(server, await org.enrollmentToken());
    const patch = async (body: unknown) =>
      (await server.api(org.tokens.operator, `/v1/devices/${deviceId}`, { method: 'PATCH', body })).json();
    expect((await patch({ labels: ['b', 'a', 'a'] })).labels).toEqual(['a', 'b']);
    expect((await patch({ addLabels: ['c'], removeLabels: ['a'] })).labels).toEqual(['b', 'c']);
    expect((await patch({ group: 'field' })).group).toBe('field');
    const empty = await server.api(org.tokens.operator, `/v1/devices/${deviceId}`, {
      method: 'PATCH',
      body: {},
    });
    expect(empty.status).toBe(400);
    expect((await empty.json()).error.message).toContain('nothing to change');
  });

  it('stores the apps, consent and state a device reports at check-in', async () => {
    const org = await server.newOrg();
    const { deviceId, credential } = await enroll(server, await org.enrollmentToken());
    const apps = Array.from({ length: 40 }, (_, i) => ({
      packageId: `com.example.app${String(i).padStart(2, '0')}`,
      name: `App ${i}`,
      version: '1.0',
    }));
    const consent = { location: true, files: false, callLog: false, appUsage: true };
    const checkIn = await deviceApi(server, credential, '/device/v1/checkin', {
      apps,
      consent,
      state: { locked: false },
    });
    expect(checkIn.status).toBe(200);

    const device = await (await server.api(org.tokens.viewer, `/v1/devices/${deviceId}`)).json();
    expect(device).toMatchObject({ appCount: 40, consent });
    const firstPage = await (
      await server.api(org.tokens.viewer, `/v1/devices/${deviceId}/apps?limit=30`)
    ).json();
    const secondPage = await (
      await server.api(
        org.tokens.viewer,
        `/v1/devices/${deviceId}/apps?limit=30&cursor=${firstPage.nextCursor}`,
      )
    ).json();
    expect([...firstPage.data, ...secondPage.data].map((a) => a.packageId)).toEqual(
      apps.map((a) => a.packageId),
    );
    expect(secondPage.nextCursor).toBeNull();
  });

  it('retires a device: its credential stops working at once and its pending commands are canceled', async () => {
    const org = await server.newOrg();
    const { deviceId, credential } = await enroll(server, await org.enrollmentToken());
    const command = await (
      await server.api(org.tokens.operator, `/v1/devices/${deviceId}/commands`, {
        method: 'POST',
        body: { type: 'lock' },
      })
    ).json();
    const retired = await (
      await server.api(org.tokens.admin, `/v1/devices/${deviceId}/retire`, { method: 'POST' })
    ).json();
    expect(retired).toMatchObject({ status: 'retired', retiredAt: expect.any(String) });

    const refused = await deviceApi(server, credential, '/device/v1/checkin', {});
    expect(refused.status).toBe(410);
    expect((await refused.json()).error.code).toBe('device_retired');
    const after = await (await server.api(org.tokens.viewer, `/v1/commands/${command.id}`)).json();
    expect(after.status).toBe('canceled');
    const again = await server.api(org.tokens.operator, `/v1/devices/${deviceId}/commands`, {
      method: 'POST',
      body: { type: 'lock' },
    });
    expect(again.status).toBe(409);
    const active = await (await server.api(org.tokens.viewer, '/v1/devices')).json();
    expect(active.data).toEqual([]);
    const all = await (await server.api(org.tokens.viewer, '/v1/devices?status=all')).json();
    expect(all.data.map((d: { id: string }) => d.id)).toEqual([deviceId]);
  });

  it('answers 404 for an unknown device id and 400 for a malformed one', async () => {
    const org = await server.newOrg();
    const unknown = await server.api(org.tokens.viewer, '/v1/devices/01900000-0000-7000-8000-000000000001');
    expect(unknown.status).toBe(404);
    expect((await unknown.json()).error.message).toBe(
      'device 01900000-0000-7000-8000-000000000001 not found',
    );
    const malformed = await server.api(org.tokens.viewer, '/v1/devices/not-an-id');
    expect(malformed.status).toBe(400);
    const badCursor = await server.api(org.tokens.viewer, '/v1/devices?cursor=garbage');
    expect(badCursor.status).toBe(400);
    expect((await badCursor.json()).error.message).toContain('invalid cursor');
  });
});
