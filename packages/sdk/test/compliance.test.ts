import {
  ApplyRulesResult,
  ComplianceEvent,
  ComplianceHistory,
  ComplianceImpact,
  ComplianceResult,
  ComplianceRuleSet,
  type ComplianceRulesDocument,
  ComplianceScan,
  RemediationResult,
} from '@fleetops/protocol';
import { HttpResponse, http } from 'msw';
import { describe, expect, it } from 'vitest';
import {
  FleetBadRequestError,
  type FleetClient,
  FleetConflictError,
  FleetError,
  FleetNotFoundError,
  FleetResponseValidationError,
} from '../src/index';
import { BASE_URL, DEVICE_ID, errorResponse, JOB_ID, makeClient, pagesOf, useMswServer } from './helpers';

const server = useMswServer();
const NOW = '2026-03-02T10:00:00.000Z';
const SCAN_ID = '4d3c2b1a-0f9e-4d8c-b7a6-958473625140';

const rules: ComplianceRulesDocument = {
  apiVersion: 'fleetops.dev/v1',
  kind: 'ComplianceRules',
  rules: [
    {
      name: 'no-stalkerware',
      severity: 'critical',
      check: { blockedApps: [{ packageId: 'com.apspy.app', label: 'TheTruthSpy' }] },
      escalation: [
        { action: 'notify', after: '0s' },
        { action: 'lock', after: '2d' },
      ],
    },
  ],
};

const scan = (id = SCAN_ID) =>
  ComplianceScan.parse({
    id,
    startedAt: NOW,
    finishedAt: NOW,
    where: null,
    rulesRevision: 3,
    deviceCount: 10,
    nonCompliantCount: 1,
    complianceRate: 0.9,
    violationCount: 1,
    devicesBySeverity: { low: 0, medium: 0, high: 0, critical: 1 },
    byRule: [{ rule: 'no-stalkerware', severity: 'critical', devices: 1, newDevices: 1 }],
    byGroup: [{ group: 'sales', devices: 10, nonCompliant: 1 }],
  });

const result = (serial: string) =>
  ComplianceResult.parse({
    scanId: SCAN_ID,
    deviceId: DEVICE_ID,
    serial,
    model: 'Pixel 8',
    os: 'android',
    osVersion: '15',
    group: 'sales',
    mode: 'COPE',
    rule: 'no-stalkerware',
    severity: 'critical',
    evidence: {
      apps: [
        { packageId: 'com.apspy.app', name: 'Sync', version: '2.1', certificate: null, label: 'TheTruthSpy' },
      ],
    },
    since: NOW,
    nextStep: { action: 'lock', dueAt: '2026-03-04T10:00:00.000Z', byodRetire: false },
  });

const event = (id: string) =>
  ComplianceEvent.parse({
    id,
    type: 'device.noncompliant',
    at: NOW,
    deviceId: DEVICE_ID,
    rule: 'no-stalkerware',
    severity: 'critical',
    source: 'check-in',
    evidence: { apps: [] },
  });

const applied = ApplyRulesResult.parse({
  revision: 4,
  added: ['no-stalkerware'],
  changed: [],
  removed: ['old-rule'],
  unchanged: [],
  warnings: [],
  dryRun: false,
});

const impact = ComplianceImpact.parse({
  deviceCount: 10,
  nonCompliantNow: 0,
  nonCompliantAfter: 1,
  becomeNonCompliant: 1,
  byRule: [
    {
      rule: 'no-stalkerware',
      severity: 'critical',
      devices: 1,
      newDevices: 1,
      actions: [
        { action: 'notify', after: '0s', devices: 1 },
        { action: 'lock', after: '2d', devices: 1 },
      ],
    },
  ],
  wouldLock: 1,
  wouldWipe: 0,
});

const remediation = RemediationResult.parse({
  dryRun: false,
  scanId: SCAN_ID,
  items: [
    {
      rule: 'no-stalkerware',
      action: 'lock',
      command: 'lock',
      packageId: null,
      deviceIds: [DEVICE_ID],
      jobId: JOB_ID,
    },
  ],
  deviceCount: 1,
  alreadyRemediated: 0,
  inGrace: 0,
});

interface Seen {
  method: string;
  path: string;
  search: string;
  body: unknown;
  idempotencyKey: string | null;
}

/** Answers every request with `body`, recording what was sent. */
function record(body: object, status = 200): Seen[] {
  const seen: Seen[] = [];
  server.use(
    http.all(`${BASE_URL}/*`, async ({ request }) => {
      const url = new URL(request.url);
      const text = await request.text();
      seen.push({
        method: request.method,
        path: url.pathname,
        search: decodeURIComponent(url.search),
        body: text ? JSON.parse(text) : undefined,
        idempotencyKey: request.headers.get('idempotency-key'),
      });
      return HttpResponse.json(body, { status });
    }),
  );
  return seen;
}

describe('each compliance method sends its route', () => {
  const ruleSet = ComplianceRuleSet.parse({ revision: 3, rules: rules.rules, updatedAt: NOW });
  const history = ComplianceHistory.parse({
    points: [
      {
        scanId: SCAN_ID,
        at: NOW,
        deviceCount: 10,
        nonCompliantCount: 1,
        complianceRate: 0.9,
        devicesBySeverity: { low: 0, medium: 0, high: 0, critical: 1 },
      },
    ],
  });
  const cases: [string, (c: FleetClient) => Promise<unknown>, object, Partial<Seen>][] = [
    [
      'rules.get',
      (c) => c.compliance.rules.get(),
      ruleSet,
      { method: 'GET', path: '/v1/compliance/rules', body: undefined },
    ],
    [
      'rules.apply',
      (c) => c.compliance.rules.apply(rules, { baseRevision: 3, dryRun: true }),
      { ...applied, dryRun: true },
      {
        method: 'PUT',
        path: '/v1/compliance/rules',
        body: { document: rules, baseRevision: 3, dryRun: true },
      },
    ],
    [
      'rules.apply without options',
      (c) => c.compliance.rules.apply(rules),
      applied,
      { method: 'PUT', path: '/v1/compliance/rules', body: { document: rules } },
    ],
    [
      'impact',
      (c) => c.compliance.impact(rules),
      impact,
      { method: 'POST', path: '/v1/compliance/impact', body: { document: rules } },
    ],
    [
      'scan',
      (c) => c.compliance.scan({ where: 'group = finance' }),
      scan(),
      { method: 'POST', path: '/v1/compliance/scans', body: { where: 'group = finance' } },
    ],
    [
      'scan of the whole fleet',
      (c) => c.compliance.scan(),
      scan(),
      { method: 'POST', path: '/v1/compliance/scans', body: {} },
    ],
    [
      'scans.get latest',
      (c) => c.compliance.scans.get('latest'),
      scan(),
      { method: 'GET', path: '/v1/compliance/scans/latest' },
    ],
    [
      'scans.get by id',
      (c) => c.compliance.scans.get(SCAN_ID),
      scan(),
      { method: 'GET', path: `/v1/compliance/scans/${SCAN_ID}` },
    ],
    [
      'history',
      (c) => c.compliance.history({ since: '2026-02-01T00:00:00.000Z' }),
      history,
      { method: 'GET', path: '/v1/compliance/history', search: '?since=2026-02-01T00:00:00.000Z' },
    ],
    [
      'remediate',
      (c) =>
        c.compliance.remediate({
          rule: 'no-stalkerware',
          action: 'lock',
          grace: '24h',
          reason: 'stalkerware found',
          expectCount: 1,
        }),
      remediation,
      {
        method: 'POST',
        path: '/v1/compliance/remediate',
        body: {
          rule: 'no-stalkerware',
          action: 'lock',
          grace: '24h',
          reason: 'stalkerware found',
          expectCount: 1,
        },
      },
    ],
  ];

  it.each(cases)('%s', async (_name, call, answer, expected) => {
    const seen = record(answer);
    const answered = await call(makeClient());
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject(expected);
    expect(answered).toEqual(answer);
  });

  it('scan and remediate are sent with an idempotency key, so a retry creates no second scan or job', async () => {
    const seen = record(scan());
    await makeClient().compliance.scan();
    await makeClient().compliance.scan({}, { idempotencyKey: 'nightly-2026-03-02' });
    expect(seen[0]!.idempotencyKey).toMatch(/^[0-9a-f-]{36}$/);
    expect(seen[1]!.idempotencyKey).toBe('nightly-2026-03-02');
  });
});

describe('paged compliance lists', () => {
  it('results of the latest scan by default, walked across pages with the filters kept', async () => {
    const queries = pagesOf(server, `${BASE_URL}/v1/compliance/scans/latest/results`, [
      [result('SN1'), result('SN2')],
      [result('SN3')],
    ]);
    const serials: (string | null)[] = [];
    for await (const r of makeClient().compliance.results(undefined, { severity: 'high', limit: 2 }))
      serials.push(r.serial);
    expect(serials).toEqual(['SN1', 'SN2', 'SN3']);
    expect(queries.map((q) => [q.get('severity'), q.get('limit'), q.get('cursor')])).toEqual([
      ['high', '2', null],
      ['high', '2', 'p1'],
    ]);
  });

  it('results of one scan, as one page when awaited', async () => {
    pagesOf(server, `${BASE_URL}/v1/compliance/scans/${SCAN_ID}/results`, [[result('SN1')], [result('SN2')]]);
    const page = await makeClient().compliance.results(SCAN_ID);
    expect(page.data.map((r) => r.nextStep?.action)).toEqual(['lock']);
    expect(page.hasNextPage()).toBe(true);
  });

  it('scans newest first and events oldest first follow their cursors', async () => {
    const second = '5e4d3c2b-1a0f-4e9d-8c7b-a69584736251';
    pagesOf(server, `${BASE_URL}/v1/compliance/scans`, [[scan(second)], [scan()]]);
    const scans = await makeClient().compliance.scans.list({ limit: 1 }).toArray();
    expect(scans.map((s) => s.id)).toEqual([second, SCAN_ID]);

    const queries = pagesOf(server, `${BASE_URL}/v1/compliance/events`, [[event('1')], [event('2')]]);
    const events = await makeClient()
      .compliance.events.list({ type: 'device.noncompliant', deviceId: DEVICE_ID })
      .toArray();
    expect(events.map((e) => e.id)).toEqual(['1', '2']);
    expect(queries.map((q) => [q.get('type'), q.get('deviceId')])).toEqual([
      ['device.noncompliant', DEVICE_ID],
      ['device.noncompliant', DEVICE_ID],
    ]);
  });
});

describe('rules without a server', () => {
  it('validate lists each problem with its field path', () => {
    const client = makeClient();
    expect(client.compliance.rules.validate(rules)).toEqual([]);
    const bad = {
      ...rules,
      rules: [{ ...rules.rules[0], severity: 'urgent', check: { blockedApps: [{ label: 'no id' }] } }],
    };
    const issues = client.compliance.rules.validate(bad);
    expect(issues.map((i) => i.path)).toEqual(['rules.0.severity', 'rules.0.check.blockedApps.0']);
    expect(issues[0]!.message).toMatch(/low.*medium.*high.*critical/);
    expect(issues[1]!.message).toBe('an app matcher needs packageId, certificate or both');
  });
});

describe('compliance refusals', () => {
  it('a stale base revision is a FleetConflictError carrying the server message', async () => {
    const message = 'the rules are at revision 5, not 3: get them again';
    server.use(http.put(`${BASE_URL}/v1/compliance/rules`, () => errorResponse(409, 'conflict', message)));
    const error = await makeClient()
      .compliance.rules.apply(rules, { baseRevision: 3 })
      .catch((e) => e);
    expect(error).toBeInstanceOf(FleetConflictError);
    expect(error.message).toBe(`409 conflict: ${message} (request req-abc)`);
  });

  it('a rule the server cannot use is a FleetBadRequestError naming the field', async () => {
    const issues = [{ path: 'body.document.rules.0.where', message: 'unknown field colour' }];
    server.use(
      http.put(`${BASE_URL}/v1/compliance/rules`, () =>
        errorResponse(400, 'validation_failed', 'the rules are not valid', { details: { issues } }),
      ),
    );
    const error = await makeClient()
      .compliance.rules.apply(rules)
      .catch((e) => e);
    expect(error).toBeInstanceOf(FleetBadRequestError);
    expect(error.issues).toEqual(issues);
  });

  it('no scan yet is a FleetNotFoundError', async () => {
    server.use(
      http.get(`${BASE_URL}/v1/compliance/scans/latest`, () =>
        errorResponse(404, 'not_found', 'no compliance scan was run yet'),
      ),
    );
    await expect(makeClient().compliance.scans.get('latest')).rejects.toBeInstanceOf(FleetNotFoundError);
  });

  it('an answer that is not a scan is a FleetResponseValidationError', async () => {
    server.use(
      http.post(`${BASE_URL}/v1/compliance/scans`, () =>
        HttpResponse.json({ ...scan(), complianceRate: 1.5 }, { status: 201 }),
      ),
    );
    await expect(makeClient().compliance.scan()).rejects.toBeInstanceOf(FleetResponseValidationError);
  });

  it('a scan id that would climb out of the resource is refused before sending', async () => {
    const seen = record(scan());
    await expect(makeClient().compliance.scans.get('..')).rejects.toBeInstanceOf(FleetError);
    expect(seen).toHaveLength(0);
  });
});
