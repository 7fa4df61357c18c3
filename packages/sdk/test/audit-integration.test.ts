import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { EXPORT_CSV_COLUMNS, USER_DATA_EXPORT_KEYS } from '@fleetops/protocol';
import { type RunningServer, startServer } from '@fleetops/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DeviceEvent, FleetClient, FleetConflictError, FleetNotFoundError } from '../src/index';

let server: RunningServer;
let admin: FleetClient;
let dir: string;
let deviceId: string;
const context = { ciRun: 'sdk-audit-1', gitCommit: '4f2a9c1' };

/** Enrolls one device with an enrollment token and checks it in with these consent grants. */
async function enrollDevice(token: string, consent: { location: boolean; callLog: boolean }) {
  const enrolled = await fetch(`${server.url}/device/v1/enroll`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      enrollmentToken: token,
      facts: {
        model: 'Pixel 8',
        brand: 'Google',
        os: 'android',
        osVersion: '15',
        serial: `AUD${randomUUID().slice(0, 8)}`,
        macAddress: '02:00:00:00:00:0a',
        networkType: 'wifi',
        wifiEnabled: true,
      },
    }),
  });
  const { deviceId: id, credential } = (await enrolled.json()) as { deviceId: string; credential: string };
  const device = (path: string, body: unknown) =>
    fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${credential}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const checkIn = await device('/device/v1/checkin', {
    consent: { location: consent.location, files: false, callLog: consent.callLog, appUsage: false },
  });
  expect(checkIn.status).toBe(200);
  return { id, upload: (events: unknown[]) => device('/device/v1/events', { deviceId: id, events }) };
}

const location = (minute: number) => ({
  eventId: randomUUID(),
  category: 'location',
  occurredAt: new Date(Date.UTC(2025, 0, 2, 3, minute)).toISOString(),
  data: { latitude: 48.858_37, longitude: 2.294_48, accuracyMeters: 9, source: 'gps' },
});

const callLog = (minute: number) => ({
  eventId: randomUUID(),
  category: 'callLog',
  occurredAt: new Date(Date.UTC(2025, 0, 2, 3, minute)).toISOString(),
  data: { direction: 'outgoing', number: '+14155550123', durationSeconds: 42 },
});

beforeAll(async () => {
  server = await startServer({ port: 0, logLevel: 'silent' });
  admin = new FleetClient({ baseUrl: server.url, token: server.adminToken!, context });
  dir = await mkdtemp(join(tmpdir(), 'fleetops-sdk-audit-'));
  // A policy names groups that exist: the enrollment token creates this one.
  const { token } = await admin.enrollmentTokens.create({ group: 'audit', maxUses: 1 });
  await admin.policies.put('audit-collection', {
    apiVersion: 'fleetops.dev/v1',
    kind: 'Policy',
    metadata: { name: 'audit-collection' },
    spec: {
      audit: { location: { enabled: true }, callLog: { enabled: true } },
      assignment: { groups: ['audit'], priority: 10 },
    },
  });
  const device = await enrollDevice(token, { location: true, callLog: false });
  deviceId = device.id;
  const response = await device.upload([...[1, 2, 3, 4, 5].map(location), callLog(6)]);
  expect(response.status).toBe(200);
});
afterAll(async () => {
  await admin?.close();
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('audit events and their export, against the real server', () => {
  it('exports typed events in id order, the same as the list, and resumes after an id', async () => {
    const listed = await admin.audit.events.list({ deviceId, limit: 2 }).toArray();
    expect(listed.map((e) => e.category)).toEqual(Array(5).fill('location'));

    const exported: DeviceEvent[] = [];
    for await (const event of await admin.audit.export({ deviceId })) exported.push(event);
    expect(exported).toEqual(listed);
    expect(exported[0]).toMatchObject({
      deviceId,
      category: 'location',
      data: { latitude: 48.858_37, longitude: 2.294_48, accuracyMeters: 9, source: 'gps' },
    });

    const rest: DeviceEvent[] = [];
    for await (const event of await admin.audit.export({ deviceId, after: exported[1]!.id }))
      rest.push(event);
    expect(rest).toEqual(exported.slice(2));
  });

  it('pipes the raw body to a file byte for byte as the server sends it', async () => {
    for (const format of ['ndjson', 'csv', 'json'] as const) {
      const file = join(dir, `audit.${format}`);
      const exported = await admin.audit.export({ deviceId, format, redact: true });
      expect(exported.format).toBe(format);
      await exported.body.pipeTo(Writable.toWeb(createWriteStream(file)));
      const raw = await fetch(
        `${server.url}/v1/audit/events/export?deviceId=${deviceId}&format=${format}&redact=true`,
        {
          headers: { authorization: `Bearer ${server.adminToken}` },
        },
      );
      expect(await readFile(file, 'utf8')).toBe(await raw.text());
    }
    const csv = await readFile(join(dir, 'audit.csv'), 'utf8');
    expect(csv.split(/\r?\n/)[0]).toBe(EXPORT_CSV_COLUMNS.join(','));
    const redacted = JSON.parse(await readFile(join(dir, 'audit.json'), 'utf8')) as DeviceEvent[];
    expect(redacted[0]!.data).toMatchObject({ latitude: 48.86, longitude: 2.29, accuracyMeters: null });
  });

  it("reports the device's consent: location collected, call log dropped for want of the permission", async () => {
    const consent = await admin.devices.consent(deviceId);
    const byCategory = Object.fromEntries(consent.categories.map((c) => [c.category, c]));
    expect(byCategory.location).toMatchObject({ collecting: true, stored: 5 });
    expect(byCategory.callLog).toMatchObject({
      policyEnabled: true,
      permissionGranted: false,
      collecting: false,
      stored: 0,
      dropped: { policy: 0, consent: 1 },
    });
  });
});

describe('users, against the real server', () => {
  it('creates a user, resolves them by e-mail in any case, and makes them the owner of a device', async () => {
    const ada = await admin.users.create({ email: 'ada@example.com', name: 'Ada Lovelace' });
    await expect(admin.users.create({ email: 'ADA@example.com', name: 'Ada again' })).rejects.toBeInstanceOf(
      FleetConflictError,
    );
    await expect(admin.users.resolve('Ada@Example.COM')).resolves.toEqual(ada);
    await expect(admin.users.resolve(ada.id)).resolves.toEqual(ada);
    await expect(admin.users.resolve('nobody@example.com')).rejects.toBeInstanceOf(FleetNotFoundError);

    const owned = await admin.devices.update(deviceId, { ownerId: ada.id });
    expect(owned.ownerId).toBe(ada.id);
    expect((await admin.devices.list({ ownerId: ada.id }).toArray()).map((d) => d.id)).toEqual([deviceId]);

    const disabled = await admin.users.disable(ada.id);
    expect(disabled.status).toBe('disabled');
    expect((await admin.users.enable(ada.id)).status).toBe('active');
  });

  it("streams a user's data export as one JSON object", async () => {
    const grace = await admin.users.create({ email: 'grace@example.com', name: 'Grace Hopper' });
    const { body } = await admin.users.exportData(grace.id);
    const data = JSON.parse(await new Response(body).text());
    expect(Object.keys(data)).toEqual([...USER_DATA_EXPORT_KEYS]);
    expect(data.user).toMatchObject({ id: grace.id, email: 'grace@example.com' });
  });

  it('imports users, reporting the ones that already exist', async () => {
    const hedy = await admin.users.create({ email: 'hedy@example.com', name: 'Hedy Lamarr' });
    const result = await admin.users.import({
      users: [
        { email: 'linus@example.com', name: 'Linus Torvalds', line: 2 },
        { email: 'Hedy@example.com', name: 'Hedy Lamarr', line: 3 },
      ],
    });
    expect(result.created).toBe(1);
    expect(result.existing).toMatchObject([{ id: hedy.id, line: 3 }]);
    await expect(admin.users.resolve('linus@example.com')).resolves.toMatchObject({ name: 'Linus Torvalds' });
  });
});

describe('the activity log, against the real server', () => {
  it('keeps the context of each change, per client and per call', async () => {
    const mary = await admin.users.create(
      { email: 'mary@example.com', name: 'Mary Jackson' },
      { context: { approvalId: 'CHG-7' } },
    );
    const entries = await admin.audit.activity.list({ targetId: mary.id }).toArray();
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      action: 'users.create',
      target: { type: 'user', id: mary.id },
      context: { ...context, approvalId: 'CHG-7' },
    });
  });

  it('verifies the chain, with a witness from an earlier verification', async () => {
    const first = await admin.audit.verify();
    expect(first).toMatchObject({ ok: true, broken: null });
    expect(first.entries).toBeGreaterThan(0);
    await admin.users.create({ email: 'katherine@example.com', name: 'Katherine Johnson' });
    const second = await admin.audit.verify(first.head!);
    expect(second).toMatchObject({ ok: true, broken: null, entries: first.entries + 1 });
    const checkpoints = await admin.audit.checkpoints.list().toArray();
    expect(checkpoints.at(-1)).toEqual(second.latestCheckpoint);
  });

  it('runs retention on demand: nothing is past its retention yet', async () => {
    await expect(admin.audit.runRetention()).resolves.toEqual({ deleted: 0, anonymized: 0 });
  });
});
