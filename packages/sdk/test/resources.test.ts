import { HttpResponse, http, type JsonBodyType } from 'msw';
import { describe, expect, it } from 'vitest';
import { FleetAbortError, type FleetClient, FleetError, FleetTimeoutError } from '../src/index';
import {
  apiToken,
  BASE_URL,
  COMMAND_ID,
  command,
  DEVICE_ID,
  device,
  installedApp,
  JOB_ID,
  job,
  jobResult,
  makeClient,
  TOKEN,
  useMswServer,
  whoami,
} from './helpers';

const server = useMswServer();

interface Seen {
  method: string;
  path: string;
  search: string;
  body: unknown;
  headers: Headers;
}

/** Answers every request with `body`, recording what was sent. */
function record(body: unknown, status = 200): Seen[] {
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
      return HttpResponse.json(body as JsonBodyType, { status });
    }),
  );
  return seen;
}

const page = (item: unknown) => ({ data: [item], nextCursor: null });

describe('each method sends its route', () => {
  const cases: [string, (c: FleetClient) => Promise<unknown>, unknown, Partial<Seen>][] = [
    ['whoami', (c) => c.whoami(), whoami(), { method: 'GET', path: '/v1/whoami' }],
    [
      'tokens.list',
      (c) => c.tokens.list({ limit: 5 }),
      page(apiToken()),
      { path: '/v1/tokens', search: '?limit=5' },
    ],
    [
      'tokens.create',
      (c) => c.tokens.create({ name: 'ci', role: 'operator' }),
      { ...apiToken(), token: 'fo_new' },
      { method: 'POST', path: '/v1/tokens', body: { name: 'ci', role: 'operator' } },
    ],
    [
      'tokens.revoke',
      (c) => c.tokens.revoke('t1'),
      apiToken(),
      { method: 'POST', path: '/v1/tokens/t1/revoke', body: undefined },
    ],
    [
      'devices.list',
      (c) => c.devices.list({ os: 'ios', group: 'sales team', label: undefined }),
      page(device()),
      { method: 'GET', path: '/v1/devices', search: '?os=ios&group=sales+team' },
    ],
    [
      'devices.retrieve',
      (c) => c.devices.retrieve(DEVICE_ID),
      device(),
      { path: `/v1/devices/${DEVICE_ID}` },
    ],
    [
      'devices.update',
      (c) => c.devices.update(DEVICE_ID, { addLabels: ['lost'] }),
      device(),
      { method: 'PATCH', path: `/v1/devices/${DEVICE_ID}`, body: { addLabels: ['lost'] } },
    ],
    [
      'devices.retire',
      (c) => c.devices.retire(DEVICE_ID),
      device({ status: 'retired' }),
      { method: 'POST', path: `/v1/devices/${DEVICE_ID}/retire` },
    ],
    [
      'devices.apps',
      (c) => c.devices.apps(DEVICE_ID, { limit: 10 }),
      page(installedApp('com.example.mail')),
      { method: 'GET', path: `/v1/devices/${DEVICE_ID}/apps`, search: '?limit=10' },
    ],
    [
      'devices.commands',
      (c) => c.devices.commands(DEVICE_ID),
      page(command()),
      { method: 'GET', path: `/v1/devices/${DEVICE_ID}/commands`, search: '' },
    ],
    [
      'commands.send',
      (c) => c.commands.send(DEVICE_ID, { type: 'lock', params: { message: 'call IT' }, ttlSeconds: 600 }),
      command(),
      {
        method: 'POST',
        path: `/v1/devices/${DEVICE_ID}/commands`,
        body: { type: 'lock', params: { message: 'call IT' }, ttlSeconds: 600 },
      },
    ],
    [
      'commands.retrieve',
      (c) => c.commands.retrieve(COMMAND_ID),
      command(),
      { path: `/v1/commands/${COMMAND_ID}` },
    ],
    [
      'jobs.create',
      (c) =>
        c.jobs.create({
          type: 'lock',
          targets: { devices: [{ by: 'serial', value: 'SN123', line: 2 }] },
          expectCount: 1,
        }),
      job('scheduled'),
      {
        method: 'POST',
        path: '/v1/jobs',
        body: {
          type: 'lock',
          targets: { devices: [{ by: 'serial', value: 'SN123', line: 2 }] },
          expectCount: 1,
        },
      },
    ],
    [
      'jobs.preview',
      (c) => c.jobs.preview({ type: 'reboot', targets: { where: 'group = sales' }, sampleSize: 5 }),
      jobPreview(),
      {
        method: 'POST',
        path: '/v1/jobs/preview',
        body: { type: 'reboot', targets: { where: 'group = sales' }, sampleSize: 5 },
      },
    ],
    [
      'jobs.list',
      (c) => c.jobs.list({ status: 'running', type: 'wipe' }),
      page(job()),
      { method: 'GET', path: '/v1/jobs', search: '?status=running&type=wipe' },
    ],
    ['jobs.retrieve', (c) => c.jobs.retrieve(JOB_ID), job(), { method: 'GET', path: `/v1/jobs/${JOB_ID}` }],
    [
      'jobs.results',
      (c) => c.jobs.results(JOB_ID, { status: 'failed', limit: 50 }),
      page(jobResult(DEVICE_ID, { status: 'failed', error: 'device refused' })),
      { method: 'GET', path: `/v1/jobs/${JOB_ID}/results`, search: '?status=failed&limit=50' },
    ],
    [
      'jobs.cancel',
      (c) => c.jobs.cancel(JOB_ID),
      job('canceled'),
      { method: 'POST', path: `/v1/jobs/${JOB_ID}/cancel`, body: undefined },
    ],
    [
      'jobs.approve',
      (c) => c.jobs.approve(JOB_ID),
      job('scheduled'),
      { method: 'POST', path: `/v1/jobs/${JOB_ID}/approve`, body: undefined },
    ],
    [
      'settings.retrieve',
      (c) => c.settings.retrieve(),
      { approvalThreshold: 50, destructiveBudgetPerHour: null, retention: {}, retentionAction: 'delete' },
      { method: 'GET', path: '/v1/settings' },
    ],
    [
      'settings.update',
      (c) => c.settings.update({ destructiveBudgetPerHour: 200 }),
      { approvalThreshold: 50, destructiveBudgetPerHour: 200, retention: {}, retentionAction: 'delete' },
      { method: 'PATCH', path: '/v1/settings', body: { destructiveBudgetPerHour: 200 } },
    ],
    [
      'enrollmentTokens.revoke',
      (c) => c.enrollmentTokens.revoke('e1'),
      { ...enrollmentToken() },
      { method: 'POST', path: '/v1/enrollment-tokens/e1/revoke' },
    ],
  ];

  it.each(cases)('%s', async (_name, call, answer, expected) => {
    const seen = record(answer);
    const result = await call(makeClient());
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject(expected);
    expect(result).toEqual(answer);
  });

  it('creates an enrollment token with the server defaults when given nothing', async () => {
    const created = { ...enrollmentToken(), token: 'enr_secret', payload: payload() };
    const seen = record(created, 201);
    await expect(makeClient().enrollmentTokens.create()).resolves.toEqual(created);
    expect(seen[0]).toMatchObject({ method: 'POST', path: '/v1/enrollment-tokens', body: {} });
  });

  it('lists enrollment tokens', async () => {
    const seen = record(page(enrollmentToken()));
    await expect(makeClient().enrollmentTokens.list().toArray()).resolves.toEqual([enrollmentToken()]);
    expect(seen[0]!.path).toBe('/v1/enrollment-tokens');
  });
});

describe('requests', () => {
  it('carry the bearer token, Accept, User-Agent and the client and call headers', async () => {
    const seen = record(device());
    const client = makeClient({ userAgent: 'offboarder/1.2', headers: { 'X-Team': 'it' } });
    await client.devices.retrieve(DEVICE_ID, { headers: { 'X-Trace': 't1' } });
    const headers = seen[0]!.headers;
    expect(headers.get('authorization')).toBe(`Bearer ${TOKEN}`);
    expect(headers.get('accept')).toBe('application/json');
    expect(headers.get('user-agent')).toBe('offboarder/1.2 fleetops-sdk/0.1.0');
    expect(headers.get('x-team')).toBe('it');
    expect(headers.get('x-trace')).toBe('t1');
    expect(headers.get('x-retry-count')).toBe('0');
  });

  it('send a JSON content type only with a body', async () => {
    const seen = record(device());
    const client = makeClient();
    await client.devices.update(DEVICE_ID, { group: 'sales' });
    await client.devices.retire(DEVICE_ID);
    expect(seen.map((s) => s.headers.get('content-type'))).toEqual(['application/json', null]);
  });

  it('percent-encode path parameters', async () => {
    const seen = record(device());
    await makeClient().devices.retrieve('a/b c?d#e');
    expect(seen[0]!.path).toBe('/v1/devices/a%2Fb%20c%3Fd%23e');
  });

  it('refuse a path parameter that would climb out of the resource', async () => {
    const seen = record(device());
    const client = makeClient();
    await expect(client.devices.retrieve('..')).rejects.toBeInstanceOf(FleetError);
    await expect(client.commands.retrieve('')).rejects.toBeInstanceOf(FleetError);
    expect(seen).toHaveLength(0);
  });

  it('keep the path prefix of the base URL', async () => {
    const seen = record(whoami());
    await makeClient({ baseUrl: `${BASE_URL}/fleet/` }).whoami();
    expect(seen[0]!.path).toBe('/fleet/v1/whoami');
  });
});

describe('commands.wait', () => {
  /** Answers the command with each status in turn, the last one repeating. */
  function statuses(...list: Parameters<typeof command>[0][]) {
    let polls = 0;
    server.use(
      http.get(`${BASE_URL}/v1/commands/${COMMAND_ID}`, () => {
        polls++;
        return HttpResponse.json(command(list[Math.min(polls, list.length) - 1]));
      }),
    );
    return { polls: () => polls };
  }

  it('polls until the status is final and returns the command', async () => {
    const { polls } = statuses('queued', 'delivered', 'acknowledged', 'succeeded');
    const done = await makeClient().commands.wait(COMMAND_ID, { intervalMs: 1 });
    expect(done.status).toBe('succeeded');
    expect(polls()).toBe(4);
  });

  it('returns at once a command that is already final', async () => {
    const { polls } = statuses('expired');
    await expect(makeClient().commands.wait(COMMAND_ID)).resolves.toMatchObject({ status: 'expired' });
    expect(polls()).toBe(1);
  });

  it('throws FleetTimeoutError when the command stays pending', async () => {
    statuses('delivered');
    const error = await makeClient()
      .commands.wait(COMMAND_ID, { timeoutMs: 30, intervalMs: 5 })
      .catch((e) => e);
    expect(error).toBeInstanceOf(FleetTimeoutError);
    expect(error.message).toBe(`command ${COMMAND_ID} is still delivered after 30 ms`);
  });

  it('stops when the caller aborts', async () => {
    statuses('queued');
    const controller = new AbortController();
    const waiting = makeClient().commands.wait(COMMAND_ID, { intervalMs: 60_000, signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    await expect(waiting).rejects.toBeInstanceOf(FleetAbortError);
  });
});

function enrollmentToken() {
  return {
    id: '33333333-4444-4555-8666-777777777777',
    group: 'default',
    mode: 'COPE',
    status: 'active',
    prefix: 'enr_ab',
    uses: 0,
    maxUses: null,
    expiresAt: '2025-01-09T03:04:05.000Z',
    createdAt: '2025-01-02T03:04:05.000Z',
    revokedAt: null,
  };
}

function payload() {
  return { v: 1, server: BASE_URL, token: 'enr_secret', mode: 'COPE' };
}

function jobPreview() {
  return {
    type: 'reboot',
    targetCount: 2,
    eligibleCount: 1,
    skipped: {
      byod_wipe: 0,
      pending_destructive: 0,
      unsupported_platform: 1,
      already_locked: 0,
      retired: 0,
      not_in_after_job: 0,
    },
    unresolved: [],
    requiresApproval: false,
    refusal: null,
    devices: [
      {
        deviceId: DEVICE_ID,
        serial: 'SN123',
        model: 'Pixel 8',
        os: 'android',
        group: 'sales',
        mode: 'COPE',
        lastSeenAt: '2025-01-02T03:04:05.000Z',
        line: null,
        eligible: true,
        skipReason: null,
        message: null,
      },
    ],
  };
}
