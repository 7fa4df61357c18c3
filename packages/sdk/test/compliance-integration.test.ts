import type { ComplianceRulesDocumentInput, DeviceFactsInput, InstalledApp } from '@fleetops/protocol';
import { type RunningServer, startServer } from '@fleetops/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ComplianceResult, FleetClient, FleetConflictError, FleetNotFoundError } from '../src/index';

let server: RunningServer;
let admin: FleetClient;

const RULES: ComplianceRulesDocumentInput = {
  apiVersion: 'fleetops.dev/v1',
  kind: 'ComplianceRules',
  rules: [
    {
      name: 'no-stalkerware',
      severity: 'critical',
      check: { blockedApps: [{ packageId: 'com.mspy.*', label: 'mSpy' }] },
      escalation: [{ action: 'lock', after: '0s' }],
    },
    { name: 'os-minimum', severity: 'high', check: { osVersion: { android: '14' } } },
  ],
};

const app = (packageId: string, version = '1.0.0'): InstalledApp => ({
  packageId,
  name: packageId,
  version,
  installer: null,
  certificate: null,
});

let serial = 0;

/** Enrolls a device of `group` and checks it in with its apps, through the device API. */
async function enroll(
  group: string,
  facts: Partial<DeviceFactsInput>,
  apps: InstalledApp[],
): Promise<string> {
  const { token } = await admin.enrollmentTokens.create({ group, maxUses: 1 });
  const reported = {
    model: 'Pixel 8',
    brand: 'Google',
    os: 'android',
    osVersion: '15',
    serial: `SDKC${++serial}`,
    macAddress: '02:00:00:00:00:0c',
    networkType: 'wifi',
    wifiEnabled: true,
    passcodeSet: true,
    ...facts,
  };
  const enrolled = await fetch(`${server.url}/device/v1/enroll`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ enrollmentToken: token, facts: reported }),
  });
  const { deviceId, credential } = (await enrolled.json()) as { deviceId: string; credential: string };
  const checkIn = await fetch(`${server.url}/device/v1/checkin`, {
    method: 'POST',
    headers: { authorization: `Bearer ${credential}`, 'content-type': 'application/json' },
    body: JSON.stringify({ apps }),
  });
  expect(checkIn.status).toBe(200);
  return deviceId;
}

beforeAll(async () => {
  server = await startServer({ port: 0, logLevel: 'silent' });
  admin = new FleetClient({ baseUrl: server.url, token: server.adminToken! });
});
afterAll(async () => {
  await admin?.close();
  await server?.close();
});

describe('compliance against the real server', () => {
  it('an empty fleet scans to a clear empty result', async () => {
    await expect(admin.compliance.scans.get('latest')).rejects.toBeInstanceOf(FleetNotFoundError);
    const scan = await admin.compliance.scan();
    expect(scan).toMatchObject({
      deviceCount: 0,
      nonCompliantCount: 0,
      complianceRate: 1,
      violationCount: 0,
    });
    expect(await admin.compliance.results(scan.id).toArray()).toEqual([]);
  });

  it('applies rules against a base revision, and refuses a stale one', async () => {
    expect(await admin.compliance.rules.get()).toMatchObject({ revision: 0, rules: [] });
    const dry = await admin.compliance.rules.apply(RULES, { baseRevision: 0, dryRun: true });
    expect(dry).toMatchObject({ dryRun: true, added: ['no-stalkerware', 'os-minimum'] });
    expect((await admin.compliance.rules.get()).revision).toBe(0);

    const applied = await admin.compliance.rules.apply(RULES, { baseRevision: 0 });
    expect(applied).toMatchObject({ revision: 1, added: ['no-stalkerware', 'os-minimum'], dryRun: false });
    const stored = await admin.compliance.rules.get();
    expect(stored.revision).toBe(1);
    expect(stored.rules.map((rule) => rule.name)).toEqual(['no-stalkerware', 'os-minimum']);
    await expect(admin.compliance.rules.apply(RULES, { baseRevision: 0 })).rejects.toBeInstanceOf(
      FleetConflictError,
    );
  });

  it('scans the fleet and walks the results across pages, worst first, with evidence', async () => {
    const spied = await enroll('finance', {}, [app('com.mspy.lite', '6.0.9')]);
    const outdated = await enroll('finance', { osVersion: '12' }, []);
    const both = await enroll('sales', { osVersion: '13' }, [app('com.mspy.lite', '6.0.9')]);
    await enroll('sales', {}, [app('com.example.maps')]);

    const scan = await admin.compliance.scan();
    expect(scan).toMatchObject({
      deviceCount: 4,
      nonCompliantCount: 3,
      violationCount: 4,
      complianceRate: 0.25,
    });
    expect(scan.devicesBySeverity).toEqual({ low: 0, medium: 0, high: 1, critical: 2 });

    const results: ComplianceResult[] = [];
    for await (const result of admin.compliance.results('latest', { limit: 1 })) results.push(result);
    expect(results.map((r) => [r.deviceId, r.rule]).sort()).toEqual(
      [
        [spied, 'no-stalkerware'],
        [both, 'no-stalkerware'],
        [both, 'os-minimum'],
        [outdated, 'os-minimum'],
      ].sort(),
    );
    expect(results.slice(0, 2).map((r) => r.severity)).toEqual(['critical', 'critical']);
    expect(results.find((r) => r.deviceId === spied)!.evidence.apps).toEqual([
      {
        packageId: 'com.mspy.lite',
        name: 'com.mspy.lite',
        version: '6.0.9',
        certificate: null,
        label: 'mSpy',
      },
    ]);

    const critical = await admin.compliance.results(scan.id, { severity: 'critical' }).toArray();
    expect(critical.map((r) => r.rule)).toEqual(['no-stalkerware', 'no-stalkerware']);
    expect((await admin.compliance.scans.get('latest')).id).toBe(scan.id);
    expect((await admin.compliance.scans.list().toArray()).map((s) => s.id)[0]).toBe(scan.id);
  });

  it('history has a point per whole-fleet scan; events say who started breaking which rule', async () => {
    const { points } = await admin.compliance.history();
    expect(points.map((p) => p.deviceCount)).toEqual([0, 4]);
    const events = await admin.compliance.events.list({ type: 'device.noncompliant', limit: 2 }).toArray();
    expect(events).toHaveLength(4);
    expect(new Set(events.map((e) => e.rule))).toEqual(new Set(['no-stalkerware', 'os-minimum']));
  });

  it('impact evaluates a document over the fleet without storing it', async () => {
    const stricter: ComplianceRulesDocumentInput = {
      ...RULES,
      rules: [
        ...RULES.rules,
        { name: 'os-current', severity: 'low', check: { osVersion: { android: '16' } } },
      ],
    };
    const impact = await admin.compliance.impact(stricter);
    expect(impact).toMatchObject({
      deviceCount: 4,
      nonCompliantNow: 3,
      nonCompliantAfter: 4,
      becomeNonCompliant: 1,
    });
    expect(impact.wouldLock).toBe(2);
    expect((await admin.compliance.rules.get()).rules).toHaveLength(2);
  });

  it('remediate plans on a dry run, then creates one lock job, and does not repeat it', async () => {
    const plan = await admin.compliance.remediate({ dryRun: true });
    expect(plan.items).toEqual([
      expect.objectContaining({ rule: 'no-stalkerware', action: 'lock', command: 'lock', jobId: null }),
    ]);
    expect(plan.deviceCount).toBe(2);

    const done = await admin.compliance.remediate({ reason: 'stalkerware' });
    const jobId = done.items[0]!.jobId!;
    expect(await admin.jobs.retrieve(jobId)).toMatchObject({
      type: 'lock',
      targetCount: 2,
      reason: 'stalkerware',
    });

    const again = await admin.compliance.remediate({});
    expect(again).toMatchObject({ items: [], deviceCount: 0, alreadyRemediated: 2 });
  });
});
