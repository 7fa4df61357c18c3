import {
  ActivityCheckpoint,
  ActivityEntry,
  ActivityVerifyResult,
  DeviceConsent,
  OffboardUserResult,
  User,
} from '@fleetops/protocol';
import { HttpResponse, http } from 'msw';
import { describe, expect, it } from 'vitest';
import { FleetClient, FleetError, FleetNotFoundError } from '../src/index';
import {
  BASE_URL,
  command,
  DEVICE_ID,
  device,
  locationEvent,
  makeClient,
  TOKEN,
  useMswServer,
} from './helpers';

const server = useMswServer();
const NOW = '2025-01-02T03:04:05.000Z';
const USER_ID = '33333333-4444-4555-8666-777777777777';
const HASH = 'c'.repeat(64);

const user = (overrides: Partial<User> = {}) =>
  User.parse({
    id: USER_ID,
    email: 'ada@example.com',
    name: 'Ada Lovelace',
    phone: null,
    externalId: 'E-1',
    status: 'active',
    deviceCount: 1,
    createdAt: NOW,
    disabledAt: null,
    offboardedAt: null,
    erasedAt: null,
    ...overrides,
  });

const entry = ActivityEntry.parse({
  seq: 1,
  at: NOW,
  actor: { tokenId: '22222222-3333-4444-8555-666666666666', tokenName: 'ci', role: 'admin' },
  ip: '127.0.0.1',
  requestId: 'req-1',
  action: 'users.create',
  target: { type: 'user', id: USER_ID },
  changes: { after: { email: 'ada@example.com' } },
  context: { gitCommit: '4f2a' },
  prevHash: '0'.repeat(64),
  hash: HASH,
});

const checkpoint = ActivityCheckpoint.parse({ number: 1, seq: 1, hash: HASH, at: NOW, signature: 'sig' });

const verified = ActivityVerifyResult.parse({
  ok: true,
  entries: 1,
  head: { seq: 1, hash: HASH },
  checkpoints: 1,
  latestCheckpoint: checkpoint,
  broken: null,
});

const consent = DeviceConsent.parse({
  deviceId: DEVICE_ID,
  grants: { location: true, files: false, callLog: false, appUsage: true },
  categories: [
    {
      category: 'location',
      permission: 'location',
      policyEnabled: true,
      permissionGranted: true,
      collecting: true,
      retention: '90d',
      stored: 12,
      dropped: { policy: 0, consent: 3 },
      lastDroppedAt: NOW,
    },
  ],
});

const page = <T>(data: T[]) => ({ data, nextCursor: null });

interface Seen {
  method: string;
  path: string;
  search: string;
  body: unknown;
  headers: Headers;
}

/** Answers every request with `body`, recording what was sent. */
function record(body: object): Seen[] {
  const seen: Seen[] = [];
  server.use(
    http.all(`${BASE_URL}/*`, async ({ request }) => {
      const url = new URL(request.url);
      const text = await request.text();
      seen.push({
        method: request.method,
        path: url.pathname,
        search: url.search,
        body: text ? JSON.parse(text) : undefined,
        headers: request.headers,
      });
      return HttpResponse.json(body);
    }),
  );
  return seen;
}

type Case = [string, (c: FleetClient) => Promise<unknown>, object, Partial<Seen>];

describe('each audit, users and devices method sends its route and returns the answer', () => {
  const cases: Case[] = [
    [
      'audit.events.list',
      (c) => c.audit.events.list({ category: ['location', 'callLog'], deviceId: DEVICE_ID, limit: 2 }),
      page([locationEvent(1)]),
      {
        method: 'GET',
        path: '/v1/audit/events',
        search: `?category=location&category=callLog&deviceId=${DEVICE_ID}&limit=2`,
      },
    ],
    [
      'audit.activity.list',
      (c) => c.audit.activity.list({ action: 'users.', actor: 'ci' }),
      page([entry]),
      { method: 'GET', path: '/v1/audit/activity', search: '?action=users.&actor=ci' },
    ],
    [
      'audit.checkpoints.list',
      (c) => c.audit.checkpoints.list(),
      page([checkpoint]),
      { method: 'GET', path: '/v1/audit/checkpoints', search: '' },
    ],
    [
      'audit.verify',
      (c) => c.audit.verify({ seq: 1, hash: HASH }),
      verified,
      { method: 'GET', path: '/v1/audit/verify', search: `?witnessSeq=1&witnessHash=${HASH}` },
    ],
    [
      'audit.runRetention',
      (c) => c.audit.runRetention(),
      { deleted: 3, anonymized: 0 },
      { method: 'POST', path: '/v1/audit/retention/run', body: undefined },
    ],
    [
      'users.create',
      (c) => c.users.create({ email: 'ada@example.com', name: 'Ada Lovelace' }),
      user(),
      { method: 'POST', path: '/v1/users', body: { email: 'ada@example.com', name: 'Ada Lovelace' } },
    ],
    [
      'users.import',
      (c) => c.users.import({ users: [{ email: 'ada@example.com', name: 'Ada', line: 2 }] }),
      { created: 1, existing: [] },
      {
        method: 'POST',
        path: '/v1/users/import',
        body: { users: [{ email: 'ada@example.com', name: 'Ada', line: 2 }] },
      },
    ],
    [
      'users.list',
      (c) => c.users.list({ status: 'disabled' }),
      page([user({ status: 'disabled', disabledAt: NOW })]),
      { method: 'GET', path: '/v1/users', search: '?status=disabled' },
    ],
    [
      'users.retrieve',
      (c) => c.users.retrieve(USER_ID),
      user(),
      { method: 'GET', path: `/v1/users/${USER_ID}` },
    ],
    [
      'users.disable',
      (c) => c.users.disable(USER_ID),
      user({ status: 'disabled', disabledAt: NOW }),
      { method: 'POST', path: `/v1/users/${USER_ID}/disable` },
    ],
    [
      'users.enable',
      (c) => c.users.enable(USER_ID),
      user(),
      { method: 'POST', path: `/v1/users/${USER_ID}/enable` },
    ],
    [
      'users.offboard',
      (c) => c.users.offboard(USER_ID, { retireDevices: true, erasePersonalData: true }),
      OffboardUserResult.parse({
        user: user({ status: 'offboarded', email: null, name: null, offboardedAt: NOW, erasedAt: NOW }),
        devicesRetired: 1,
        eventsDeleted: 40,
        eventsAnonymized: 0,
      }),
      {
        method: 'POST',
        path: `/v1/users/${USER_ID}/offboard`,
        body: { retireDevices: true, erasePersonalData: true },
      },
    ],
    [
      'devices.consent',
      (c) => c.devices.consent(DEVICE_ID),
      consent,
      { method: 'GET', path: `/v1/devices/${DEVICE_ID}/consent` },
    ],
    [
      'devices.update with ownerId',
      (c) => c.devices.update(DEVICE_ID, { ownerId: USER_ID }),
      device({ ownerId: USER_ID }),
      { method: 'PATCH', path: `/v1/devices/${DEVICE_ID}`, body: { ownerId: USER_ID } },
    ],
  ];

  it.each(cases)('%s', async (_name, call, answer, expected) => {
    const seen = record(answer);
    const result = await call(makeClient());
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject(expected);
    const items = (answer as { data?: unknown[] }).data;
    expect(items ? (result as { data: unknown[] }).data : result).toEqual(items ?? answer);
  });
});

describe('users.resolve', () => {
  it('looks an e-mail up with list({ email }) and returns the user', async () => {
    const seen = record(page([user()]));
    await expect(makeClient().users.resolve('Ada@Example.com')).resolves.toEqual(user());
    expect(seen[0]).toMatchObject({
      path: '/v1/users',
      search: '?email=Ada%40Example.com&status=all&limit=1',
    });
  });

  it('gets an id directly', async () => {
    const seen = record(user());
    await expect(makeClient().users.resolve(USER_ID)).resolves.toEqual(user());
    expect(seen[0]!.path).toBe(`/v1/users/${USER_ID}`);
  });

  it('rejects with FleetNotFoundError when no user has the e-mail', async () => {
    record(page([]));
    const error = await makeClient()
      .users.resolve('nobody@example.com')
      .catch((e) => e);
    expect(error).toBeInstanceOf(FleetNotFoundError);
    expect(error.message).toBe('404 not_found: no user has the e-mail nobody@example.com');
  });
});

describe('users.exportData', () => {
  it("streams the user's data export as it comes", async () => {
    const json = JSON.stringify({ user: user(), devices: [], events: [], commands: [], activity: [] });
    server.use(
      http.get(`${BASE_URL}/v1/users/${USER_ID}/data`, () =>
        HttpResponse.text(json, { headers: { 'content-type': 'application/json' } }),
      ),
    );
    const { body } = await makeClient().users.exportData(USER_ID);
    expect(await new Response(body).text()).toBe(json);
  });
});

describe('the fleetops-context header', () => {
  const ci = { gitCommit: '4f2a9c1', ciRun: '1234' };

  it("sends the client's context with each mutating call, merged with the call's own, never with a GET", async () => {
    const seen = record(command());
    const client = makeClient({ context: ci });
    await client.commands.send(DEVICE_ID, { type: 'lock' });
    await client.commands.send(
      DEVICE_ID,
      { type: 'lock' },
      { context: { approvalId: 'CHG-7', ciRun: '99' } },
    );
    await client.commands.retrieve(command().id, { context: { approvalId: 'CHG-7' } });
    const contexts = seen.map((s) => s.headers.get('fleetops-context'));
    expect(JSON.parse(contexts[0]!)).toEqual(ci);
    expect(JSON.parse(contexts[1]!)).toEqual({ gitCommit: '4f2a9c1', ciRun: '99', approvalId: 'CHG-7' });
    expect(contexts[2]).toBeNull();
  });

  it('sends no header without a context', async () => {
    const seen = record(command());
    await makeClient().commands.send(DEVICE_ID, { type: 'lock' });
    expect(seen[0]!.headers.has('fleetops-context')).toBe(false);
  });

  it('carries text beyond ASCII as JSON escapes, which parse back to the same text', async () => {
    const seen = record(command());
    const context = { reason: 'Zoë’s phone — 丢失' };
    await makeClient().commands.send(DEVICE_ID, { type: 'lock' }, { context });
    const header = seen[0]!.headers.get('fleetops-context')!;
    expect(header).toMatch(/^[\x20-\x7e]+$/);
    expect(JSON.parse(header)).toEqual(context);
  });

  it('refuses an invalid context before sending anything, naming what to fix', async () => {
    const seen = record(command());
    expect(
      () => new FleetClient({ baseUrl: BASE_URL, token: TOKEN, context: { 'git-commit': 'x' } }),
    ).toThrow('context.git-commit: context keys are letters and digits, e.g. gitCommit');
    const error = await makeClient()
      .commands.send(DEVICE_ID, { type: 'lock' }, { context: { ticket: '' } })
      .catch((e) => e);
    expect(error).toBeInstanceOf(FleetError);
    expect(error.message).toMatch(/^context\.ticket: /);
    expect(seen).toHaveLength(0);
  });
});
