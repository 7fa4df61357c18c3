import {
  EffectivePolicy,
  type PolicyDocument,
  PolicyPlan,
  PolicyRevision,
  PolicyVersion,
} from '@fleetops/protocol';
import { HttpResponse, http } from 'msw';
import { describe, expect, it } from 'vitest';
import { FleetBadRequestError, FleetConflictError, FleetNotFoundError } from '../src/index';
import { BASE_URL, DEVICE_ID, errorResponse, makeClient, pagesOf, useMswServer } from './helpers';

const server = useMswServer();
const NOW = '2025-01-02T03:04:05.000Z';

const baseline: PolicyDocument = {
  apiVersion: 'fleetops.dev/v1',
  kind: 'Policy',
  metadata: { name: 'corp-baseline' },
  spec: { restrictions: { cameraDisabled: true }, assignment: { groups: ['sales'], priority: 10 } },
};

const version = (n = 1) =>
  PolicyVersion.parse({
    name: 'corp-baseline',
    version: n,
    hash: 'a'.repeat(64),
    document: baseline,
    author: 'ci',
    message: null,
    revision: n,
    createdAt: NOW,
  });

const revision = (n: number) =>
  PolicyRevision.parse({
    revision: n,
    source: 'apply',
    author: 'ci',
    message: 'baseline',
    context: { commit: 'abc123' },
    createdAt: NOW,
    created: ['corp-baseline'],
    updated: [],
    deleted: [],
    rolledBackTo: null,
  });

const plan = PolicyPlan.parse({
  baseRevision: 3,
  lastAppliedRevision: 3,
  changes: [
    {
      name: 'corp-baseline',
      action: 'update',
      fields: [{ path: 'spec.restrictions.cameraDisabled', from: false, to: true }],
      drift: [{ path: 'spec.restrictions.cameraDisabled', from: true, to: false }],
    },
  ],
  summary: { create: 0, update: 1, delete: 0, unchanged: 0, drifted: 1 },
  notPruned: [],
});

interface Seen {
  method: string;
  path: string;
  search: string;
  body: unknown;
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
      });
      return HttpResponse.json(body);
    }),
  );
  return seen;
}

describe('each policies method sends its route', () => {
  const applied = { revision: revision(4), plan };
  const cases: [string, (c: ReturnType<typeof makeClient>) => Promise<unknown>, object, Partial<Seen>][] = [
    [
      'policies.list',
      (c) => c.policies.list(),
      { revision: 1, policies: [version()] },
      { method: 'GET', path: '/v1/policies' },
    ],
    [
      'policies.retrieve',
      (c) => c.policies.retrieve('corp-baseline'),
      version(),
      { method: 'GET', path: '/v1/policies/corp-baseline' },
    ],
    [
      'policies.put',
      (c) => c.policies.put('corp-baseline', baseline),
      version(2),
      { method: 'PUT', path: '/v1/policies/corp-baseline', body: baseline },
    ],
    [
      'policies.plan',
      (c) => c.policies.plan({ documents: [baseline], prune: true }),
      plan,
      { method: 'POST', path: '/v1/policy-plans', body: { documents: [baseline], prune: true } },
    ],
    [
      'policies.apply',
      (c) =>
        c.policies.apply({
          documents: [baseline],
          baseRevision: 3,
          message: 'camera off',
          context: { commit: 'abc123', ciRun: '42' },
        }),
      applied,
      {
        method: 'POST',
        path: '/v1/policy-revisions',
        body: {
          documents: [baseline],
          baseRevision: 3,
          message: 'camera off',
          context: { commit: 'abc123', ciRun: '42' },
        },
      },
    ],
    [
      'policies.rollback',
      (c) => c.policies.rollback({ toRevision: 2, baseRevision: 4 }),
      { revision: { ...revision(5), source: 'rollback', rolledBackTo: 2 }, plan },
      { method: 'POST', path: '/v1/policy-revisions/rollback', body: { toRevision: 2, baseRevision: 4 } },
    ],
    [
      'devices.policy',
      (c) => c.devices.policy(DEVICE_ID),
      EffectivePolicy.parse({
        deviceId: DEVICE_ID,
        group: 'sales',
        hash: 'b'.repeat(64),
        settings: {
          restrictions: { cameraDisabled: true },
          passwordRequirements: {},
          applications: [],
          audit: {},
          retention: {},
        },
        sources: { 'restrictions.cameraDisabled': { policy: 'corp-baseline', version: 1 } },
        appliedHash: null,
        failures: [],
      }),
      { method: 'GET', path: `/v1/devices/${DEVICE_ID}/policy` },
    ],
  ];

  it.each(cases)('%s', async (_name, call, answer, expected) => {
    const seen = record(answer);
    const result = await call(makeClient());
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject(expected);
    expect(result).toEqual(answer);
  });
});

describe('paged policy lists', () => {
  it('versions follows the cursors and keeps the limit on every page', async () => {
    const queries = pagesOf(server, `${BASE_URL}/v1/policies/corp-baseline/versions`, [
      [version(3), version(2)],
      [version(1)],
    ]);
    const versions = await makeClient().policies.versions('corp-baseline', { limit: 2 }).toArray();
    expect(versions.map((v) => v.version)).toEqual([3, 2, 1]);
    expect(queries.map((q) => [q.get('cursor'), q.get('limit')])).toEqual([
      [null, '2'],
      ['p1', '2'],
    ]);
  });

  it('revisions follows the cursors, newest first as the server sends them', async () => {
    const queries = pagesOf(server, `${BASE_URL}/v1/policy-revisions`, [[revision(2)], [revision(1)]]);
    const revisions = await makeClient().policies.revisions().toArray();
    expect(revisions.map((r) => r.revision)).toEqual([2, 1]);
    expect(queries.map((q) => q.get('cursor'))).toEqual([null, 'p1']);
  });

  it('drift passes the group and follows the cursors', async () => {
    const drifting = (n: number) => ({
      deviceId: `0193a5c0-0000-7000-8000-00000000000${n}`,
      serial: `SN${n}`,
      group: 'sales',
      expectedHash: 'b'.repeat(64),
      appliedHash: null,
      failures: [],
      lastSeenAt: '2026-01-01T00:00:00.000Z',
    });
    const queries = pagesOf(server, `${BASE_URL}/v1/policy-drift`, [[drifting(1)], [drifting(2)]]);
    const drift = await makeClient().policies.drift({ group: 'sales' }).toArray();
    expect(drift.map((d) => d.serial)).toEqual(['SN1', 'SN2']);
    expect(queries.map((q) => [q.get('group'), q.get('cursor')])).toEqual([
      ['sales', null],
      ['sales', 'p1'],
    ]);
  });
});

describe('policy documents without a server', () => {
  it('validate lists each problem with its document and field', () => {
    const client = makeClient();
    const good = {
      apiVersion: 'fleetops.dev/v1',
      kind: 'Policy',
      metadata: { name: 'ok' },
      spec: { assignment: { groups: ['sales'], priority: 1 } },
    };
    const bad = { ...good, spec: { ...good.spec, restrictions: { cameraDisabled: 'yes' } } };
    expect(client.policies.validate([good])).toEqual([]);
    expect(client.policies.validate([good, bad])).toEqual([
      { index: 1, path: 'spec.restrictions.cameraDisabled', message: expect.any(String) },
    ]);
  });

  it('pull returns the live policies as documents', async () => {
    server.use(
      http.get(`${BASE_URL}/v1/policies`, () => HttpResponse.json({ revision: 3, policies: [version(2)] })),
    );
    expect(await makeClient().policies.pull()).toEqual([baseline]);
  });
});

describe('policy refusals', () => {
  it('a stale base revision is a FleetConflictError with the server message', async () => {
    const message =
      'the policies changed since the plan: revision 5 is live, the plan was made on 3; plan again';
    server.use(http.post(`${BASE_URL}/v1/policy-revisions`, () => errorResponse(409, 'conflict', message)));
    const error = await makeClient()
      .policies.apply({ documents: [baseline], baseRevision: 3 })
      .catch((e) => e);
    expect(error).toBeInstanceOf(FleetConflictError);
    expect(error.message).toBe(`409 conflict: ${message} (request req-abc)`);
  });

  it('documents that do not fit together are a FleetBadRequestError naming each document field', async () => {
    const issues = [
      {
        path: 'documents.1.spec.assignment.groups',
        message: 'no device or enrollment token has group ghosts',
      },
    ];
    server.use(
      http.post(`${BASE_URL}/v1/policy-plans`, () =>
        errorResponse(422, 'validation_failed', 'the policies are not valid', { details: { issues } }),
      ),
    );
    const error = await makeClient()
      .policies.plan({ documents: [baseline, baseline] })
      .catch((e) => e);
    expect(error).toBeInstanceOf(FleetBadRequestError);
    expect(error.code).toBe('validation_failed');
    expect(error.details).toEqual({ issues });
  });

  it('an unknown policy is a FleetNotFoundError', async () => {
    server.use(
      http.get(`${BASE_URL}/v1/policies/nope`, () => errorResponse(404, 'not_found', 'no policy named nope')),
    );
    await expect(makeClient().policies.retrieve('nope')).rejects.toBeInstanceOf(FleetNotFoundError);
  });
});
