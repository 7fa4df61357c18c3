import {
  adminRoutes,
  type ComplianceEvent,
  type ComplianceResult,
  type ComplianceRuleInput,
  type ComplianceScan,
  type DeviceFactsInput,
  type InstalledApp,
  InventoryDevice,
  MAX_TARGET_REFS,
  type ManagementMode,
  POLICY_API_VERSION,
  RULES_KIND,
} from '@fleetops/protocol';
import { expect, it } from 'vitest';
import { activityAction } from '../src/http/activity';
import { lockForScan } from '../src/repositories/compliance/events';
import { insertInventory } from '../src/repositories/compliance/offline';
import type { Queryable } from '../src/store/db';
import { describeStores, deviceApi, enroll, facts, type Harness, type TestOrg } from './harness';

/** A SHA-256 signing-certificate digest, written in lower case as some devices report it. */
const SPY_CERT = 'ab'.repeat(32);

const NO_STALKERWARE: ComplianceRuleInput = {
  name: 'no-stalkerware',
  description: 'Known stalkerware is installed',
  severity: 'critical',
  check: {
    blockedApps: [
      { packageId: 'com.spy.*', label: 'SpyKit' },
      { certificate: SPY_CERT, label: 'Signed by a stalkerware vendor' },
    ],
  },
  escalation: [
    { action: 'notify', after: '0s' },
    { action: 'lock', after: '2d' },
    { action: 'wipe', after: '7d' },
  ],
};
const PASSCODE: ComplianceRuleInput = { name: 'passcode', severity: 'high', check: { passcodeSet: true } };
const ANDROID_13: ComplianceRuleInput = {
  name: 'android-13',
  severity: 'medium',
  check: { osVersion: { android: '13' } },
};

const SPY_APP = { packageId: 'com.spy.tracker', name: 'Tracker', version: '2.1' };
const OTHER_SPY_APP = { packageId: 'com.spy.mirror', name: 'Mirror', version: '1.4' };
const MAIL_APP = { packageId: 'com.example.mail', name: 'Mail', version: '1.0' };

const rulesDocument = (rules: ComplianceRuleInput[]) => ({
  apiVersion: POLICY_API_VERSION,
  kind: RULES_KIND,
  rules,
});

interface TestDevice {
  deviceId: string;
  credential: string;
  facts: DeviceFactsInput;
}

describeStores('compliance', (server: Harness) => {
  let serial = 0;

  /** Enrolls a device through the device API with these facts. */
  const enrollDevice = async (
    org: TestOrg,
    options: Partial<DeviceFactsInput> & { mode?: ManagementMode; group?: string } = {},
  ): Promise<TestDevice> => {
    const { mode, group, ...overrides } = options;
    serial += 1;
    const deviceFacts = facts({ serial: `CMP${org.id.slice(0, 6)}${serial}`, ...overrides });
    const enrolled = await enroll(server, await org.enrollmentToken({ mode, group }), deviceFacts);
    return { ...enrolled, facts: deviceFacts };
  };

  /** Checks in as the real device API does, with the device's facts (changed as given) and apps. */
  const checkIn = async (
    device: TestDevice,
    body: { facts?: Partial<DeviceFactsInput>; apps?: Partial<InstalledApp>[]; appScan?: unknown } = {},
  ) => {
    const response = await deviceApi(server, device.credential, '/device/v1/checkin', {
      facts: { ...device.facts, ...body.facts },
      ...(body.apps && { apps: body.apps }),
      ...(body.appScan !== undefined && { appScan: body.appScan }),
    });
    expect(response.status).toBe(200);
    return response.json();
  };

  const applyRules = async (org: TestOrg, rules: ComplianceRuleInput[]) => {
    const response = await server.api(org.tokens.admin, '/v1/compliance/rules', {
      method: 'PUT',
      body: { document: rulesDocument(rules) },
    });
    expect(response.status).toBe(200);
    return response.json();
  };

  const scan = async (org: TestOrg, body: { where?: string } = {}): Promise<ComplianceScan> => {
    const response = await server.api(org.tokens.operator, '/v1/compliance/scans', { method: 'POST', body });
    expect(response.status).toBe(201);
    return response.json();
  };

  const get = async (token: string, path: string) => {
    const response = await server.api(token, path);
    expect(response.status, path).toBe(200);
    return response.json();
  };

  const results = async (org: TestOrg, query = '', scanId = 'latest'): Promise<ComplianceResult[]> =>
    (await get(org.tokens.viewer, `/v1/compliance/scans/${scanId}/results${query}`)).data;

  const events = async (org: TestOrg, query = ''): Promise<ComplianceEvent[]> =>
    (await get(org.tokens.viewer, `/v1/compliance/events${query}`)).data;

  const remediate = (token: string, body: Record<string, unknown>) =>
    server.api(token, '/v1/compliance/remediate', { method: 'POST', body });

  const jobsOf = async (org: TestOrg) => (await get(org.tokens.viewer, '/v1/jobs')).data;

  /** A transaction of the test that holds what `take` locks until `release` is called. */
  const holding = async (take: (tx: Queryable) => Promise<unknown>) => {
    let held!: () => void;
    let release!: () => void;
    const taken = new Promise<void>((resolve) => {
      held = resolve;
    });
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    const done = server.db.transaction(async (tx) => {
      await take(tx);
      held();
      await released;
    });
    await taken;
    return {
      release: async () => {
        release();
        await done;
      },
    };
  };

  /**
   * On PostgreSQL, returns once `work` waits for a lock of this database or has settled; with
   * PGlite's one connection, `work` cannot start while the test's transaction is open.
   */
  const blockedOrDone = async (work: Promise<unknown>) => {
    if (server.db.dialect !== 'postgres') return;
    let settled = false;
    void work.finally(() => {
      settled = true;
    });
    const waiting = async () =>
      (
        await server.db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_stat_activity
           WHERE datname = current_database() AND wait_event_type = 'Lock'`,
        )
      )[0]!.n > 0;
    while (!settled && !(await waiting())) await new Promise((resolve) => setTimeout(resolve, 10));
  };

  it('scans the fleet: each broken rule per device, worst first, with its evidence and next step', async () => {
    const org = await server.newOrg();
    const spy = await enrollDevice(org, { osVersion: '14', passcodeSet: true });
    const old = await enrollDevice(org, { osVersion: '12' });
    const fine = await enrollDevice(org, { osVersion: '14', passcodeSet: true });
    await checkIn(spy, { apps: [SPY_APP, { ...MAIL_APP, certificate: SPY_CERT }] });
    await checkIn(old, { apps: [MAIL_APP] });
    await checkIn(fine, { apps: [MAIL_APP] });
    await applyRules(org, [PASSCODE, NO_STALKERWARE, ANDROID_13]);

    const scanned = await scan(org);
    expect(scanned).toMatchObject({
      where: null,
      rulesRevision: 1,
      deviceCount: 3,
      nonCompliantCount: 2,
      violationCount: 3,
      devicesBySeverity: { low: 0, medium: 0, high: 1, critical: 1 },
      byRule: [
        { rule: 'no-stalkerware', severity: 'critical', devices: 1, newDevices: 1 },
        { rule: 'passcode', severity: 'high', devices: 1, newDevices: 1 },
        { rule: 'android-13', severity: 'medium', devices: 1, newDevices: 1 },
      ],
      byGroup: [{ group: 'default', devices: 3, nonCompliant: 2 }],
    });
    expect(scanned.complianceRate).toBeCloseTo(1 / 3);

    const found = await results(org);
    expect(found.map((r) => [r.deviceId, r.rule])).toEqual([
      [spy.deviceId, 'no-stalkerware'],
      [old.deviceId, 'passcode'],
      [old.deviceId, 'android-13'],
    ]);
    const [stalkerware] = found;
    expect(stalkerware).toMatchObject({
      scanId: scanned.id,
      serial: spy.facts.serial,
      os: 'android',
      osVersion: '14',
      group: 'default',
      mode: 'COPE',
      severity: 'critical',
      evidence: {
        apps: [
          {
            packageId: 'com.example.mail',
            version: '1.0',
            certificate: SPY_CERT.toUpperCase(),
            label: 'Signed by a stalkerware vendor',
          },
          { packageId: 'com.spy.tracker', version: '2.1', certificate: null, label: 'SpyKit' },
        ],
      },
    });
    expect(stalkerware!.nextStep).toEqual({ action: 'notify', dueAt: stalkerware!.since, byodRetire: false });
    const byRule = Object.fromEntries(found.map((r) => [r.rule, r]));
    expect(byRule.passcode).toMatchObject({
      severity: 'high',
      evidence: { found: 'not reported', expected: 'true' },
      nextStep: null,
    });
    expect(byRule['android-13']).toMatchObject({ evidence: { found: '12', expected: '13' } });

    expect((await results(org, '?severity=high')).map((r) => r.rule)).toEqual(['no-stalkerware', 'passcode']);
    expect((await results(org, '?rule=android-13')).map((r) => r.deviceId)).toEqual([old.deviceId]);
    expect((await results(org, `?deviceId=${spy.deviceId}`)).map((r) => r.rule)).toEqual(['no-stalkerware']);

    const paged: ComplianceResult[] = [];
    let cursor: string | null = null;
    do {
      const page = await get(
        org.tokens.viewer,
        `/v1/compliance/scans/${scanned.id}/results?limit=1${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(page.data.length).toBe(1);
      paged.push(...page.data);
      cursor = page.nextCursor;
    } while (cursor);
    expect(paged).toEqual(found);

    expect(await get(org.tokens.viewer, '/v1/compliance/scans/latest')).toEqual(scanned);
    expect(await get(org.tokens.viewer, `/v1/compliance/scans/${scanned.id}`)).toEqual(scanned);
    expect((await get(org.tokens.viewer, '/v1/compliance/scans')).data).toEqual([scanned]);
  });

  it('keeps history per whole-fleet scan, and a persisting violation keeps its start', async () => {
    const org = await server.newOrg();
    await applyRules(org, [PASSCODE]);
    const open = await enrollDevice(org, { passcodeSet: false, group: 'sales' });
    await enrollDevice(org, { passcodeSet: true, group: 'sales' });

    const first = await scan(org);
    expect(first).toMatchObject({ deviceCount: 2, nonCompliantCount: 1, complianceRate: 0.5 });
    const second = await scan(org);
    expect(second.byRule).toEqual([{ rule: 'passcode', severity: 'high', devices: 1, newDevices: 0 }]);
    const [before] = await results(org, '', first.id);
    const [after] = await results(org, '', second.id);
    expect(after!.since).toBe(before!.since);

    const narrowed = await scan(org, { where: 'group=nobody' });
    expect(narrowed).toMatchObject({ where: 'group=nobody', deviceCount: 0, complianceRate: 1 });

    await checkIn(open, { facts: { passcodeSet: true } });
    const third = await scan(org);
    expect(third).toMatchObject({ nonCompliantCount: 0, complianceRate: 1, violationCount: 0 });

    const history = await get(org.tokens.viewer, '/v1/compliance/history');
    expect(history.points.map((p: { scanId: string }) => p.scanId)).toEqual([first.id, second.id, third.id]);
    expect(history.points.map((p: { complianceRate: number }) => p.complianceRate)).toEqual([0.5, 0.5, 1]);
    expect(history.points[0]).toMatchObject({
      at: first.startedAt,
      deviceCount: 2,
      nonCompliantCount: 1,
      devicesBySeverity: { low: 0, medium: 0, high: 1, critical: 0 },
    });
    const since = encodeURIComponent(third.startedAt);
    expect((await get(org.tokens.viewer, `/v1/compliance/history?since=${since}`)).points).toHaveLength(1);
    expect((await get(org.tokens.viewer, '/v1/compliance/scans')).data).toHaveLength(4);
  });

  it('flags a device at check-in when it installs a blocked app, before any scan, and clears it once removed', async () => {
    const org = await server.newOrg();
    await applyRules(org, [NO_STALKERWARE, PASSCODE]);
    const device = await enrollDevice(org, { passcodeSet: true });

    const first = await checkIn(device, { apps: [MAIL_APP] });
    expect(first.appRules).toEqual({
      hash: expect.any(String),
      blockedApps: [
        { packageId: 'com.spy.*', label: 'SpyKit', rule: 'no-stalkerware', severity: 'critical' },
        {
          certificate: SPY_CERT.toUpperCase(),
          label: 'Signed by a stalkerware vendor',
          rule: 'no-stalkerware',
          severity: 'critical',
        },
      ],
    });
    expect(await events(org)).toEqual([]);

    const appScan = {
      rulesHash: first.appRules.hash,
      scannedAt: new Date().toISOString(),
      trigger: 'install',
      findings: [{ packageId: SPY_APP.packageId, version: SPY_APP.version, rule: 'no-stalkerware' }],
    };
    const installed = await checkIn(device, {
      apps: [MAIL_APP, { ...SPY_APP, certificate: SPY_CERT }],
      appScan,
    });
    expect(installed.appRules).toBeUndefined();
    const stored = await server.db.query<{ app_scan: unknown }>(
      'SELECT app_scan FROM devices WHERE id = $1',
      [device.deviceId],
    );
    expect(stored[0]!.app_scan).toEqual(appScan);
    const apps = await get(org.tokens.viewer, `/v1/devices/${device.deviceId}/apps`);
    expect(apps.data.find((a: InstalledApp) => a.packageId === SPY_APP.packageId).certificate).toBe(
      SPY_CERT.toUpperCase(),
    );

    expect(await events(org)).toEqual([
      {
        id: expect.any(String),
        type: 'device.noncompliant',
        at: expect.any(String),
        deviceId: device.deviceId,
        rule: 'no-stalkerware',
        severity: 'critical',
        source: 'check-in',
        evidence: {
          apps: [
            {
              packageId: SPY_APP.packageId,
              name: SPY_APP.name,
              version: SPY_APP.version,
              certificate: SPY_CERT.toUpperCase(),
              label: 'SpyKit',
            },
          ],
        },
      },
    ]);
    expect((await get(org.tokens.viewer, '/v1/compliance/scans')).data).toEqual([]);

    const stale = await checkIn(device, {
      apps: [MAIL_APP, SPY_APP],
      appScan: { ...appScan, rulesHash: 'old' },
    });
    expect(stale.appRules.hash).toBe(first.appRules.hash);
    expect(await events(org)).toHaveLength(1);

    await checkIn(device, { apps: [MAIL_APP] });
    const all = await events(org);
    expect(all.map((e) => [e.type, e.source, e.rule])).toEqual([
      ['device.noncompliant', 'check-in', 'no-stalkerware'],
      ['device.compliant', 'check-in', 'no-stalkerware'],
    ]);
    expect((await events(org, '?type=device.compliant')).map((e) => e.id)).toEqual([all[1]!.id]);
    const firstPage = await get(org.tokens.viewer, '/v1/compliance/events?limit=1');
    expect(firstPage.data.map((e: ComplianceEvent) => e.id)).toEqual([all[0]!.id]);
    const secondPage = await get(
      org.tokens.viewer,
      `/v1/compliance/events?limit=1&cursor=${firstPage.nextCursor}`,
    );
    expect(secondPage.data.map((e: ComplianceEvent) => e.id)).toEqual([all[1]!.id]);

    const scanned = await scan(org);
    expect(scanned).toMatchObject({ deviceCount: 1, nonCompliantCount: 0 });
    expect(await events(org)).toHaveLength(2);
  });

  it('a check-in during a scan waits for the scan, then flags the blocked app it reports', async () => {
    const org = await server.newOrg();
    await applyRules(org, [NO_STALKERWARE]);
    const device = await enrollDevice(org);
    await checkIn(device, { apps: [MAIL_APP] });

    const scanRunning = await holding((tx) => lockForScan(tx, org.id));
    const installed = checkIn(device, { apps: [MAIL_APP, SPY_APP] });
    await blockedOrDone(installed);
    await scanRunning.release();
    await installed;

    expect(await events(org)).toMatchObject([
      { type: 'device.noncompliant', deviceId: device.deviceId, rule: 'no-stalkerware', source: 'check-in' },
    ]);
  });

  it('tells what a rules document would flag and set off on the live fleet, without storing it', async () => {
    const org = await server.newOrg();
    const spy = await enrollDevice(org, { passcodeSet: true });
    await enrollDevice(org, { passcodeSet: false });
    await enrollDevice(org, { passcodeSet: true });
    await checkIn(spy, { apps: [SPY_APP] });
    await applyRules(org, [PASSCODE]);
    await scan(org);

    const response = await server.api(org.tokens.viewer, '/v1/compliance/impact', {
      method: 'POST',
      body: {
        document: rulesDocument([
          NO_STALKERWARE,
          { ...PASSCODE, escalation: [{ action: 'lock', after: '1d' }] },
        ]),
      },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      deviceCount: 3,
      nonCompliantNow: 1,
      nonCompliantAfter: 2,
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
            { action: 'wipe', after: '7d', devices: 1 },
          ],
        },
        {
          rule: 'passcode',
          severity: 'high',
          devices: 1,
          newDevices: 0,
          actions: [{ action: 'lock', after: '1d', devices: 1 }],
        },
      ],
      wouldLock: 2,
      wouldWipe: 1,
    });
    const stored = await get(org.tokens.viewer, '/v1/compliance/rules');
    expect(stored).toMatchObject({ revision: 1, rules: [{ name: 'passcode' }] });
  });

  it('remediates: a dry run plans, a real run makes one job per command, and a re-run makes nothing new', async () => {
    const org = await server.newOrg();
    await applyRules(org, [NO_STALKERWARE]);
    const cope = await enrollDevice(org);
    const byod = await enrollDevice(org, { mode: 'BYOD' });
    await checkIn(cope, { apps: [SPY_APP] });
    await checkIn(byod, { apps: [SPY_APP] });
    const both = [cope.deviceId, byod.deviceId].sort();

    const planned = await remediate(org.tokens.operator, { dryRun: true });
    expect(planned.status).toBe(200);
    expect(await planned.json()).toEqual({
      dryRun: true,
      scanId: null,
      items: [
        {
          rule: 'no-stalkerware',
          action: 'notify',
          command: 'message',
          packageId: null,
          deviceIds: both,
          jobId: null,
        },
      ],
      deviceCount: 2,
      alreadyRemediated: 0,
      inGrace: 0,
    });
    expect(await jobsOf(org)).toEqual([]);

    const notified = await (await remediate(org.tokens.operator, {})).json();
    expect(notified.items).toHaveLength(1);
    const [message] = await jobsOf(org);
    expect(message).toMatchObject({
      id: notified.items[0].jobId,
      type: 'message',
      status: 'running',
      targetCount: 2,
      reason: 'compliance rule no-stalkerware: notify',
    });
    expect(message.params.title).toContain('no-stalkerware');
    expect(message.params.body).toContain('"no-stalkerware"');
    const delivered = await (await deviceApi(server, cope.credential, '/device/v1/commands?wait=0')).json();
    expect(delivered.commands.map((c: { type: string }) => c.type)).toEqual(['message']);

    const rerun = await (await remediate(org.tokens.operator, {})).json();
    expect(rerun).toMatchObject({ items: [], deviceCount: 0, alreadyRemediated: 0, inGrace: 2 });
    const young = await (
      await remediate(org.tokens.operator, { rule: 'no-stalkerware', action: 'lock', grace: '1d' })
    ).json();
    expect(young).toMatchObject({ items: [], inGrace: 2 });
    expect(await jobsOf(org)).toHaveLength(1);

    // Eight days pass for the violations so far (and the step already taken for them).
    for (const table of ['compliance_violations', 'compliance_remediations']) {
      await server.db.query(`UPDATE ${table} SET since = since - interval '8 days' WHERE org_id = $1`, [
        org.id,
      ]);
    }
    const late = await enrollDevice(org);
    await checkIn(late, { apps: [SPY_APP] });

    const graced = await (
      await remediate(org.tokens.operator, {
        rule: 'no-stalkerware',
        action: 'lock',
        grace: '1d',
        dryRun: true,
      })
    ).json();
    expect(graced).toMatchObject({
      items: [{ action: 'lock', command: 'lock', deviceIds: both }],
      inGrace: 1,
    });

    const refused = await remediate(org.tokens.operator, {
      rule: 'no-stalkerware',
      action: 'wipe',
      grace: '7d',
    });
    expect(refused.status).toBe(403);
    expect((await refused.json()).error.message).toContain('needs an admin token');
    expect(await jobsOf(org)).toHaveLength(1);

    const settings = await server.api(org.tokens.admin, '/v1/settings', {
      method: 'PATCH',
      body: { approvalThreshold: 0 },
    });
    expect(settings.status).toBe(200);
    const wiped = await (
      await remediate(org.tokens.admin, { rule: 'no-stalkerware', action: 'wipe', grace: '7d' })
    ).json();
    expect(wiped).toMatchObject({ deviceCount: 2, inGrace: 1, alreadyRemediated: 0 });
    expect(
      wiped.items.map((i: { command: string; deviceIds: string[] }) => [i.command, i.deviceIds]),
    ).toEqual([
      ['wipe', [cope.deviceId]],
      ['retire', [byod.deviceId]],
    ]);
    for (const item of wiped.items) {
      const job = await get(org.tokens.viewer, `/v1/jobs/${item.jobId}`);
      expect(job).toMatchObject({ type: item.command, status: 'awaiting_approval', requiresApproval: true });
    }
    const again = await (
      await remediate(org.tokens.admin, { rule: 'no-stalkerware', action: 'wipe', grace: '7d' })
    ).json();
    expect(again).toMatchObject({ items: [], alreadyRemediated: 2, inGrace: 1 });
    expect(await jobsOf(org)).toHaveLength(3);

    // The ladder: lock is the next step of the old violations, notify the first of the new one.
    const laddered = await (await remediate(org.tokens.operator, {})).json();
    expect(
      laddered.items.map((i: { action: string; deviceIds: string[] }) => [i.action, i.deviceIds]),
    ).toEqual([
      ['lock', both],
      ['notify', [late.deviceId]],
    ]);
    const done = await (await remediate(org.tokens.operator, {})).json();
    expect(done).toMatchObject({ items: [], alreadyRemediated: 2, inGrace: 1 });
    expect(await jobsOf(org)).toHaveLength(5);

    const removal = await (
      await remediate(org.tokens.operator, { rule: 'no-stalkerware', action: 'remove-app' })
    ).json();
    expect(removal.items).toMatchObject([
      { command: 'remove-app', packageId: SPY_APP.packageId, deviceIds: [...both, late.deviceId].sort() },
    ]);
    const removeJob = await get(org.tokens.viewer, `/v1/jobs/${removal.items[0].jobId}`);
    expect(removeJob).toMatchObject({ type: 'remove-app', params: { packageId: SPY_APP.packageId } });

    const scanned = await scan(org);
    const [result] = await results(org, `?deviceId=${cope.deviceId}`);
    expect(scanned.nonCompliantCount).toBe(3);
    expect(result!.nextStep).toBeNull();
    const [fresh] = await results(org, `?deviceId=${late.deviceId}`);
    expect(fresh!.nextStep).toMatchObject({ action: 'lock', byodRetire: false });
  });

  it('refuses remove-app for a rule that names no app, in a ladder and as an action', async () => {
    const org = await server.newOrg();
    const laddered = await server.api(org.tokens.admin, '/v1/compliance/rules', {
      method: 'PUT',
      body: {
        document: rulesDocument([
          NO_STALKERWARE,
          {
            ...PASSCODE,
            escalation: [
              { action: 'notify', after: '0s' },
              { action: 'remove-app', after: '1d' },
            ],
          },
        ]),
      },
    });
    expect(laddered.status).toBe(422);
    expect((await laddered.json()).error.details.issues).toEqual([
      {
        path: 'body.document.rules.1.escalation.1.action',
        message: 'rule passcode: remove-app needs a blockedApps or allowedApps rule',
      },
    ]);
    expect((await get(org.tokens.viewer, '/v1/compliance/rules')).revision).toBe(0);

    await applyRules(org, [PASSCODE]);
    await checkIn(await enrollDevice(org, { passcodeSet: false }));
    const action = await remediate(org.tokens.operator, { rule: 'passcode', action: 'remove-app' });
    expect(action.status).toBe(400);
    const { error } = await action.json();
    expect(error.details.issues[0].path).toBe('body.action');
    expect(error.message).toContain('remove-app needs a blockedApps or allowedApps rule');
    expect(await jobsOf(org)).toEqual([]);
  });

  it('says when no rule has an escalation ladder to take steps of', async () => {
    const org = await server.newOrg();
    await applyRules(org, [PASSCODE]);
    await checkIn(await enrollDevice(org, { passcodeSet: false }));
    const response = await remediate(org.tokens.operator, { dryRun: true });
    expect(response.status).toBe(400);
    const { error } = await response.json();
    expect(error.details.issues[0].path).toBe('body.rule');
    expect(error.message).toContain('no rule has an escalation ladder');
  });

  it('holds the approval threshold against all the devices a remediation wipes or retires', async () => {
    const org = await server.newOrg();
    const wipeAtOnce = [{ action: 'wipe' as const, after: '0s' }];
    await applyRules(org, [
      { ...NO_STALKERWARE, escalation: wipeAtOnce },
      { ...PASSCODE, escalation: wipeAtOnce },
    ]);
    const spied = [
      await enrollDevice(org, { passcodeSet: true }),
      await enrollDevice(org, { passcodeSet: true }),
    ];
    for (const device of spied) await checkIn(device, { apps: [SPY_APP] });
    const open = await enrollDevice(org, { passcodeSet: false });
    const openByod = await enrollDevice(org, { passcodeSet: false, mode: 'BYOD' });
    for (const device of [open, openByod]) await checkIn(device);
    const settings = await server.api(org.tokens.admin, '/v1/settings', {
      method: 'PATCH',
      body: { approvalThreshold: 3 },
    });
    expect(settings.status).toBe(200);

    const response = await remediate(org.tokens.admin, {});
    expect(response.status).toBe(200);
    const result = await response.json();
    expect(result.deviceCount).toBe(4);
    expect(result.items.map((i: { rule: string; command: string }) => [i.rule, i.command])).toEqual([
      ['no-stalkerware', 'wipe'],
      ['passcode', 'wipe'],
      ['passcode', 'retire'],
    ]);
    for (const item of result.items) {
      expect(await get(org.tokens.viewer, `/v1/jobs/${item.jobId}`)).toMatchObject({
        status: 'awaiting_approval',
        requiresApproval: true,
      });
    }
  });

  it('wipes a device two rules call to wipe once, and records the step for both rules', async () => {
    const org = await server.newOrg();
    const wipeAtOnce = [{ action: 'wipe' as const, after: '0s' }];
    await applyRules(org, [
      { ...NO_STALKERWARE, escalation: wipeAtOnce },
      { ...PASSCODE, escalation: wipeAtOnce },
    ]);
    const both = await enrollDevice(org, { passcodeSet: false });
    await checkIn(both, { apps: [SPY_APP] });

    const response = await remediate(org.tokens.admin, {});
    expect(response.status).toBe(200);
    const result = await response.json();
    expect(result.deviceCount).toBe(1);
    expect(result.items.map((i: { rule: string }) => i.rule)).toEqual(['no-stalkerware', 'passcode']);
    const [first, second] = result.items;
    expect(first.jobId).toBe(second.jobId);
    const job = await get(org.tokens.viewer, `/v1/jobs/${first.jobId}`);
    expect(job).toMatchObject({ type: 'wipe', targetCount: 1 });

    const again = await (await remediate(org.tokens.admin, {})).json();
    expect(again).toMatchObject({ items: [], alreadyRemediated: 2 });
  });

  it('removes each blocked app of a violation, one installed after the first removal too', async () => {
    const org = await server.newOrg();
    await applyRules(org, [
      {
        ...NO_STALKERWARE,
        escalation: [
          { action: 'remove-app', after: '0s' },
          { action: 'lock', after: '1d' },
        ],
      },
    ]);
    const device = await enrollDevice(org);
    await checkIn(device, { apps: [MAIL_APP, SPY_APP] });
    const removals = async () =>
      (await (await remediate(org.tokens.operator, {})).json()).items.map(
        (i: { action: string; packageId: string; deviceIds: string[] }) => [
          i.action,
          i.packageId,
          i.deviceIds,
        ],
      );

    expect(await removals()).toEqual([['remove-app', SPY_APP.packageId, [device.deviceId]]]);
    await scan(org);
    expect((await results(org))[0]!.nextStep).toMatchObject({ action: 'lock' });

    await checkIn(device, { apps: [MAIL_APP, SPY_APP, OTHER_SPY_APP] });
    await scan(org);
    expect((await results(org))[0]!.nextStep).toMatchObject({ action: 'remove-app' });
    expect(await removals()).toEqual([['remove-app', OTHER_SPY_APP.packageId, [device.deviceId]]]);
    const explicit = await (
      await remediate(org.tokens.operator, { rule: 'no-stalkerware', action: 'remove-app' })
    ).json();
    expect(explicit).toMatchObject({ items: [], alreadyRemediated: 1 });
    expect((await jobsOf(org)).map((job: { params: { packageId: string } }) => job.params.packageId)).toEqual(
      [OTHER_SPY_APP.packageId, SPY_APP.packageId],
    );
  });

  it('records a step for the violation it was planned for, not one that began meanwhile', async () => {
    // Only PostgreSQL lets a check-in run while a remediation is under way.
    if (server.db.dialect !== 'postgres') return;
    const org = await server.newOrg();
    await applyRules(org, [NO_STALKERWARE]);
    const device = await enrollDevice(org);
    await checkIn(device, { apps: [SPY_APP] });

    // The remediation plans, then waits to send its message to the device; meanwhile the
    // violation ends and a new one begins.
    const restarted = await holding(async (tx) => {
      await tx.query('SELECT 1 FROM devices WHERE id = $1 FOR UPDATE', [device.deviceId]);
      await tx.query('UPDATE compliance_violations SET since = now() WHERE device_id = $1', [
        device.deviceId,
      ]);
    });
    const first = remediate(org.tokens.operator, {});
    await blockedOrDone(first);
    await restarted.release();
    expect((await (await first).json()).items).toMatchObject([{ action: 'notify' }]);

    const second = await (await remediate(org.tokens.operator, { dryRun: true })).json();
    expect(second).toMatchObject({
      items: [{ action: 'notify', deviceIds: [device.deviceId] }],
      alreadyRemediated: 0,
    });
  });

  it('splits a remediation of more devices than one job may name into several jobs', async () => {
    const org = await server.newOrg();
    await applyRules(org, [PASSCODE]);
    const count = MAX_TARGET_REFS + 1;
    const devices = Array.from({ length: count }, (_, i) =>
      InventoryDevice.parse({ serial: `BIG${i}`, os: 'android', osVersion: '14', passcodeSet: false }),
    );
    await insertInventory(server.db, org.id, devices);
    await server.db.query(
      `INSERT INTO compliance_violations (org_id, device_id, rule, severity, evidence, since)
       SELECT org_id, id, 'passcode', 'high', '{"found": "false"}', now() FROM devices WHERE org_id = $1`,
      [org.id],
    );

    const response = await remediate(org.tokens.operator, { rule: 'passcode', action: 'notify' });
    expect(response.status).toBe(200);
    const result = await response.json();
    expect(result.deviceCount).toBe(count);
    expect(result.items.map((i: { deviceIds: string[] }) => i.deviceIds.length)).toEqual([
      MAX_TARGET_REFS,
      1,
    ]);
    const jobs = await jobsOf(org);
    expect(jobs.map((job: { targetCount: number }) => job.targetCount).sort()).toEqual([1, MAX_TARGET_REFS]);
    const recorded = await server.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM compliance_remediations WHERE org_id = $1',
      [org.id],
    );
    expect(recorded[0]!.n).toBe(count);
  }, 180_000);

  it('shows a BYOD wipe step as retire in the results', async () => {
    const org = await server.newOrg();
    await applyRules(org, [{ ...NO_STALKERWARE, escalation: [{ action: 'wipe', after: '3d' }] }]);
    const byod = await enrollDevice(org, { mode: 'BYOD' });
    await checkIn(byod, { apps: [SPY_APP] });
    await scan(org);
    const [result] = await results(org);
    expect(result!.mode).toBe('BYOD');
    expect(result!.nextStep).toEqual({
      action: 'wipe',
      dueAt: new Date(Date.parse(result!.since) + 3 * 86_400_000).toISOString(),
      byodRetire: true,
    });
  });

  it('scans an empty fleet: no devices, a compliance rate of 1', async () => {
    const org = await server.newOrg();
    await applyRules(org, [PASSCODE]);
    const scanned = await scan(org);
    expect(scanned).toMatchObject({
      deviceCount: 0,
      nonCompliantCount: 0,
      violationCount: 0,
      complianceRate: 1,
      byRule: [{ rule: 'passcode', severity: 'high', devices: 0, newDevices: 0 }],
      byGroup: [],
    });
    expect(await results(org)).toEqual([]);
    const bare = await server.newOrg();
    expect(await scan(bare)).toMatchObject({
      deviceCount: 0,
      complianceRate: 1,
      rulesRevision: 0,
      byRule: [],
    });
  });

  it('lets each role do only its part, and logs every change but not the reads', async () => {
    const org = await server.newOrg();
    await enrollDevice(org);
    const put = (token: string) =>
      server.api(token, '/v1/compliance/rules', {
        method: 'PUT',
        body: { document: rulesDocument([PASSCODE]) },
      });
    expect((await put(org.tokens.operator)).status).toBe(403);
    expect((await put(org.tokens.admin)).status).toBe(200);
    const viewerScan = await server.api(org.tokens.viewer, '/v1/compliance/scans', {
      method: 'POST',
      body: {},
    });
    expect(viewerScan.status).toBe(403);
    expect((await remediate(org.tokens.viewer, { dryRun: true })).status).toBe(403);
    const scanned = await scan(org);
    await get(org.tokens.viewer, '/v1/compliance/scans/latest/results');
    const impact = await server.api(org.tokens.viewer, '/v1/compliance/impact', {
      method: 'POST',
      body: { document: rulesDocument([]) },
    });
    expect(impact.status).toBe(200);
    expect((await remediate(org.tokens.operator, { rule: 'passcode', action: 'notify' })).status).toBe(200);

    const activity = (await get(org.tokens.auditor, '/v1/audit/activity')).data;
    expect(activity.map((e: { action: string }) => e.action)).toEqual([
      activityAction(adminRoutes.applyComplianceRules),
      activityAction(adminRoutes.startComplianceScan),
      activityAction(adminRoutes.remediateCompliance),
    ]);
    expect(activity[0].changes).toMatchObject({
      before: { revision: 0, rules: [] },
      after: { revision: 1, added: ['passcode'] },
    });
    expect(activity[1].target).toMatchObject({ id: scanned.id });
  });

  it('refuses bad input with a message naming what to fix', async () => {
    const org = await server.newOrg();
    const latest = await server.api(org.tokens.viewer, '/v1/compliance/scans/latest');
    expect(latest.status).toBe(404);
    expect((await latest.json()).error.message).toContain('no compliance scan yet');
    await enrollDevice(org);
    await applyRules(org, [PASSCODE]);
    await scan(org);

    const unknownId = '01900000-0000-7000-8000-000000000000';
    const unknown = await server.api(org.tokens.viewer, `/v1/compliance/scans/${unknownId}/results`);
    expect(unknown.status).toBe(404);
    expect((await unknown.json()).error).toMatchObject({
      code: 'not_found',
      message: `compliance scan ${unknownId} not found`,
    });
    expect((await server.api(org.tokens.viewer, '/v1/compliance/scans/yesterday')).status).toBe(400);

    const badWhere = await server.api(org.tokens.operator, '/v1/compliance/scans', {
      method: 'POST',
      body: { where: 'colour=red' },
    });
    expect(badWhere.status).toBe(400);
    expect((await badWhere.json()).error.details.issues[0].path).toBe('body.where');
    expect((await get(org.tokens.viewer, '/v1/compliance/scans')).data).toHaveLength(1);

    const badCursor = await server.api(org.tokens.viewer, '/v1/compliance/scans/latest/results?cursor=abc');
    expect(badCursor.status).toBe(400);
    expect((await badCursor.json()).error.message).toContain('invalid cursor');

    const noRule = await remediate(org.tokens.operator, { action: 'lock' });
    expect(noRule.status).toBe(400);
    expect((await noRule.json()).error.details.issues[0].path).toBe('body.rule');
    const unknownRule = await remediate(org.tokens.operator, { rule: 'no-such-rule' });
    expect(unknownRule.status).toBe(400);
    expect((await unknownRule.json()).error.message).toContain('no rule named no-such-rule');
    const noLadder = await remediate(org.tokens.operator, { rule: 'passcode' });
    expect(noLadder.status).toBe(400);
    expect((await noLadder.json()).error.message).toBe(
      'body.action: rule passcode has no escalation ladder: give the action to take',
    );
    const guarded = await remediate(org.tokens.operator, {
      rule: 'passcode',
      action: 'notify',
      expectCount: 5,
      dryRun: true,
    });
    expect(guarded.status).toBe(422);
    expect((await guarded.json()).error.message).toContain('not the 5 expected');
  });
});
