import {
  ComplianceRule,
  type ComplianceRuleInput,
  ComplianceRulesDocument,
  InventoryDevice,
  type InventoryDevice as InventoryDeviceInput,
  PolicyApplyRequest,
  type PolicyDocumentInput,
} from '@fleetops/protocol';
import { beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../src/errors';
import { createDeviceAppRules } from '../src/repositories/compliance/blocklist';
import {
  compileRules,
  compileScope,
  type EvaluationScope,
  type ExpectedPolicies,
  evaluateRules,
  NO_EXPECTED_POLICIES,
} from '../src/repositories/compliance/evaluate';
import { insertInventory } from '../src/repositories/compliance/offline';
import { createComplianceRuleSets } from '../src/repositories/compliance/rule-set';
import { createDevicePolicies } from '../src/repositories/policies/device-policies';
import { describeStores, type TestOrg } from './harness';

const CERT = 'ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12';
const DAY = 86_400_000;

const app = (packageId: string, version = '1.0', certificate: string | null = null) => ({
  packageId,
  name: packageId.split('.').pop()!,
  version,
  certificate,
});

/** The test fleet, by serial. */
const FLEET: InventoryDeviceInput[] = [
  {
    serial: 'A-spy',
    group: 'finance',
    os: 'android',
    osVersion: '12',
    passcodeSet: false,
    storageEncrypted: true,
    rooted: true,
    apps: [
      app('com.spy.exact', '2.1'),
      app('com.glob.tracker'),
      app('com.corp.vpn', '5.1.9'),
      app('com.other.game'),
    ],
  },
  {
    serial: 'B-clean',
    group: 'finance',
    os: 'android',
    osVersion: '14',
    passcodeSet: true,
    storageEncrypted: true,
    rooted: false,
    apps: [
      app('com.globx'),
      app('com.underXscore.app'),
      app('com.corp.vpn', '5.10'),
      app('com.corp.mdm'),
      app('com.android.chrome'),
    ],
  },
  {
    serial: 'C-ios',
    group: 'sales',
    os: 'ios',
    osVersion: '17.3.1',
    passcodeSet: null,
    storageEncrypted: false,
    rooted: null,
    lastSeenAt: new Date(Date.now() - 10 * DAY).toISOString(),
    apps: [
      app('com.signed.innocent', '3.0', CERT),
      app('com.vuln.reader', '17.4.1'),
      app('com.under_score.app'),
      app('com.corp.mdm'),
    ],
  },
  {
    serial: 'D-ios',
    group: 'sales',
    os: 'ios',
    osVersion: '17.10',
    passcodeSet: true,
    storageEncrypted: null,
    rooted: false,
    apps: [app('com.vuln.reader', '17.10'), app('com.corp.vpn', '5.2'), app('com.corp.mdm')],
  },
  {
    serial: 'E-vuln',
    group: 'field',
    os: 'android',
    osVersion: '13',
    passcodeSet: true,
    storageEncrypted: true,
    rooted: false,
    apps: [app('com.vuln.reader', '17.9'), app('com.vuln.reader2', '17.4')],
  },
];

const rule = (input: ComplianceRuleInput) => ComplianceRule.parse(input);

describeStores('compliance evaluation', (server) => {
  let org: TestOrg;
  let serialOf: Map<string, string>;
  let idOf: Map<string, string>;

  beforeAll(async () => {
    org = await server.newOrg();
    const devices = FLEET.map((device) => InventoryDevice.parse(device));
    const ids = await insertInventory(server.db, org.id, devices);
    serialOf = new Map(ids.map((id, index) => [id, FLEET[index]!.serial]));
    idOf = new Map(ids.map((id, index) => [FLEET[index]!.serial, id]));
    // A device of another org, and a retired one of this org, that no evaluation may see.
    const other = await server.newOrg();
    await insertInventory(server.db, other.id, [InventoryDevice.parse({ ...FLEET[0]!, serial: 'X-other' })]);
    const [retired] = await insertInventory(server.db, org.id, [
      InventoryDevice.parse({ ...FLEET[0]!, serial: 'R-retired' }),
    ]);
    await server.db.query("UPDATE devices SET status = 'retired' WHERE id = $1", [retired]);
  });

  /** Evaluates and returns `serial rule` per violation, sorted, and the evidence by that key. */
  const evaluate = async (
    rules: ComplianceRuleInput[],
    scope: Partial<EvaluationScope> = {},
    expected: ExpectedPolicies = NO_EXPECTED_POLICIES,
  ) => {
    const rows = await evaluateRules(server.db, rules.map(rule), { orgId: org.id, ...scope }, expected);
    const evidence = new Map(rows.map((row) => [`${serialOf.get(row.deviceId)} ${row.rule}`, row.evidence]));
    return { broken: [...evidence.keys()].sort(), evidence, rows };
  };
  const brokenBy = async (check: ComplianceRuleInput['check'], where?: string) =>
    (await evaluate([{ name: 'r', severity: 'high', check, ...(where && { where }) }])).broken.map(
      (key) => key.split(' ')[0],
    );

  describe('app checks', () => {
    it('blockedApps flags an exact package id, with the app and the matcher label as evidence', async () => {
      const { broken, evidence } = await evaluate([
        {
          name: 'no-spy',
          severity: 'critical',
          check: { blockedApps: [{ packageId: 'com.spy.exact', label: 'SpyApp' }] },
        },
      ]);
      expect(broken).toEqual(['A-spy no-spy']);
      expect(evidence.get('A-spy no-spy')).toEqual({
        apps: [
          { packageId: 'com.spy.exact', name: 'exact', version: '2.1', certificate: null, label: 'SpyApp' },
        ],
      });
    });

    it('blockedApps globs match any characters for *, and _ only itself', async () => {
      expect(await brokenBy({ blockedApps: [{ packageId: 'com.glob.*' }] })).toEqual(['A-spy']);
      expect(await brokenBy({ blockedApps: [{ packageId: 'com.under_score.*' }] })).toEqual(['C-ios']);
      expect(await brokenBy({ blockedApps: [{ packageId: '*.exact' }] })).toEqual(['A-spy']);
    });

    it('blockedApps matches a signing certificate whatever the package, in any letter case', async () => {
      const { broken, evidence } = await evaluate([
        {
          name: 'bad-cert',
          severity: 'high',
          check: { blockedApps: [{ certificate: CERT, label: 'Family' }] },
        },
      ]);
      expect(broken).toEqual(['C-ios bad-cert']);
      expect(evidence.get('C-ios bad-cert')!.apps).toEqual([
        {
          packageId: 'com.signed.innocent',
          name: 'innocent',
          version: '3.0',
          certificate: CERT.toUpperCase(),
          label: 'Family',
        },
      ]);
      expect(
        await brokenBy({ blockedApps: [{ packageId: 'com.signed.innocent', certificate: 'f'.repeat(40) }] }),
      ).toEqual([]);
      expect(await brokenBy({ blockedApps: [{ packageId: 'com.signed.*', certificate: CERT }] })).toEqual([
        'C-ios',
      ]);
    });

    it('blockedApps version bounds compare number by number: at least is inclusive, below exclusive', async () => {
      // 17.4.1 < 17.9 < 17.10 as versions, though not as text.
      expect(
        await brokenBy({
          blockedApps: [{ packageId: 'com.vuln.reader', versionAtLeast: '17.4.1', versionBelow: '17.10' }],
        }),
      ).toEqual(['C-ios', 'E-vuln']);
      expect(
        await brokenBy({ blockedApps: [{ packageId: 'com.vuln.reader', versionBelow: '17.4.1' }] }),
      ).toEqual([]);
      expect(
        await brokenBy({ blockedApps: [{ packageId: 'com.vuln.reader', versionAtLeast: '17.10.0' }] }),
      ).toEqual(['D-ios']);
      expect(await brokenBy({ blockedApps: [{ packageId: 'com.vuln.*', versionBelow: '17.5' }] })).toEqual([
        'C-ios',
        'E-vuln',
      ]);
    });

    it('blockedApps lists every offending app of a device once, labelled by the first matcher it matches', async () => {
      const { evidence } = await evaluate([
        {
          name: 'vulnerable',
          severity: 'medium',
          check: {
            blockedApps: [
              { packageId: 'com.vuln.reader2', label: 'exact' },
              { packageId: 'com.vuln.*', label: 'family' },
            ],
          },
        },
      ]);
      expect(evidence.get('E-vuln vulnerable')!.apps!.map((a) => [a.packageId, a.version, a.label])).toEqual([
        ['com.vuln.reader', '17.9', 'family'],
        ['com.vuln.reader2', '17.4', 'exact'],
      ]);
    });

    it('allowedApps flags each installed app that matches no matcher', async () => {
      const { broken, evidence } = await evaluate([
        {
          name: 'allowlist',
          severity: 'low',
          where: 'group=finance',
          check: {
            allowedApps: [
              { packageId: 'com.corp.*' },
              { packageId: 'com.android.chrome' },
              { packageId: 'com.glob*' },
              { packageId: 'com.underXscore.app' },
              { certificate: CERT },
            ],
          },
        },
      ]);
      expect(broken).toEqual(['A-spy allowlist']);
      expect(evidence.get('A-spy allowlist')!.apps!.map((a) => [a.packageId, a.label])).toEqual([
        ['com.other.game', null],
        ['com.spy.exact', null],
      ]);
      expect(
        await brokenBy({ allowedApps: [{ packageId: 'com.vuln.*', versionAtLeast: '17.5' }] }, 'group=field'),
      ).toEqual(['E-vuln']);
      const exact = {
        allowedApps: [
          { packageId: 'com.vuln.reader', versionAtLeast: '17.5' },
          { packageId: 'com.vuln.reader2' },
        ],
      };
      expect(await brokenBy(exact, 'group=field')).toEqual([]);
      expect(await brokenBy(exact, 'serial=D-ios')).toEqual(['D-ios']);
    });

    it('allowedApps by certificate alone flags every app signed otherwise or not known to be signed', async () => {
      const { broken, evidence } = await evaluate([
        {
          name: 'signed',
          severity: 'low',
          where: 'group=sales',
          check: { allowedApps: [{ certificate: CERT }] },
        },
      ]);
      expect(broken).toEqual(['C-ios signed', 'D-ios signed']);
      expect(evidence.get('C-ios signed')!.apps!.map((a) => a.packageId)).toEqual([
        'com.corp.mdm',
        'com.under_score.app',
        'com.vuln.reader',
      ]);
    });

    it('requiredApps flags a missing app and one below its minimum version', async () => {
      const { broken, evidence } = await evaluate([
        {
          name: 'security-apps',
          severity: 'high',
          check: {
            requiredApps: [{ packageId: 'com.corp.vpn', minVersion: '5.2' }, { packageId: 'com.corp.mdm' }],
          },
        },
      ]);
      expect(broken).toEqual(['A-spy security-apps', 'C-ios security-apps', 'E-vuln security-apps']);
      expect(evidence.get('A-spy security-apps')).toEqual({
        missing: [
          { packageId: 'com.corp.vpn', minVersion: '5.2', installedVersion: '5.1.9' },
          { packageId: 'com.corp.mdm', minVersion: null, installedVersion: null },
        ],
      });
      expect(evidence.get('C-ios security-apps')).toEqual({
        missing: [{ packageId: 'com.corp.vpn', minVersion: '5.2', installedVersion: null }],
      });
    });
  });

  describe('device state checks', () => {
    it('osVersion flags a version below the minimum of its platform; a platform not named is not checked', async () => {
      const { broken, evidence } = await evaluate([
        { name: 'os', severity: 'high', check: { osVersion: { android: '13', ios: '17.4' } } },
      ]);
      expect(broken).toEqual(['A-spy os', 'C-ios os']);
      expect(evidence.get('A-spy os')).toEqual({ found: '12', expected: '13' });
      expect(evidence.get('C-ios os')).toEqual({ found: '17.3.1', expected: '17.4' });
      expect(await brokenBy({ osVersion: { ios: '17.10' } })).toEqual(['C-ios']);
      expect(await brokenBy({ osVersion: { android: '13.0' } })).toEqual(['A-spy']);
    });

    it('passcodeSet and storageEncrypted flag false and not reported', async () => {
      const { broken, evidence } = await evaluate([
        { name: 'passcode', severity: 'medium', check: { passcodeSet: true } },
        { name: 'encrypted', severity: 'medium', check: { storageEncrypted: true } },
      ]);
      expect(broken).toEqual(['A-spy passcode', 'C-ios encrypted', 'C-ios passcode', 'D-ios encrypted']);
      expect(evidence.get('A-spy passcode')).toEqual({ found: 'false', expected: 'true' });
      expect(evidence.get('C-ios passcode')).toEqual({ found: 'not reported', expected: 'true' });
      expect(evidence.get('C-ios encrypted')).toEqual({ found: 'false', expected: 'true' });
      expect(evidence.get('D-ios encrypted')).toEqual({ found: 'not reported', expected: 'true' });
    });

    it('notRooted flags rooted and not reported', async () => {
      const { broken, evidence } = await evaluate([
        { name: 'not-rooted', severity: 'critical', check: { notRooted: true } },
      ]);
      expect(broken).toEqual(['A-spy not-rooted', 'C-ios not-rooted']);
      expect(evidence.get('A-spy not-rooted')).toEqual({ found: 'true', expected: 'false' });
      expect(evidence.get('C-ios not-rooted')).toEqual({ found: 'not reported', expected: 'false' });
    });

    it('checkedInWithin flags a last check-in older than the duration, with its time', async () => {
      const { broken, evidence } = await evaluate([
        { name: 'recent', severity: 'low', check: { checkedInWithin: '7d' } },
      ]);
      expect(broken).toEqual(['C-ios recent']);
      const [seen] = await server.db.query<{ last_seen_at: Date }>(
        'SELECT last_seen_at FROM devices WHERE id = $1',
        [idOf.get('C-ios')],
      );
      expect(evidence.get('C-ios recent')).toEqual({
        found: seen!.last_seen_at.toISOString(),
        expected: '7d',
      });
      expect(await brokenBy({ checkedInWithin: '11d' })).toEqual([]);
    });

    it('policyInSync flags devices not running their group policy, or reporting failures', async () => {
      const policy: PolicyDocumentInput = {
        apiVersion: 'fleetops.dev/v1',
        kind: 'Policy',
        metadata: { name: 'finance-baseline' },
        spec: {
          restrictions: { cameraDisabled: true },
          assignment: { groups: ['finance', 'field'], priority: 10 },
        },
      };
      const revision = (await server.services.policies.set(org.id)).revision;
      await server.services.policies.apply(
        org.id,
        { name: 'admin' },
        PolicyApplyRequest.parse({ documents: [policy], baseRevision: revision }),
      );
      const ruleSets = createComplianceRuleSets(server.db, createDevicePolicies(server.db));
      const expected = await ruleSets.expectedPolicies(org.id);
      const hash = expected.hashes[expected.groups.indexOf('finance')]!;
      expect(hash).toMatch(/^[0-9a-f]{64}$/);
      const set = (serial: string, applied: string | null, failures: unknown[] = []) =>
        server.db.query('UPDATE devices SET applied_policy_hash = $2, policy_failures = $3 WHERE id = $1', [
          idOf.get(serial),
          applied,
          JSON.stringify(failures),
        ]);
      await set('A-spy', hash);
      await set('B-clean', 'stale');
      await set('E-vuln', hash, [{ path: 'restrictions.cameraDisabled', reason: 'not supported' }]);
      // C-ios and D-ios are in `sales`, which has no policy: in sync whatever they report.
      await set('C-ios', null);
      const { broken, evidence } = await evaluate(
        [{ name: 'in-sync', severity: 'medium', check: { policyInSync: true } }],
        {},
        expected,
      );
      expect(broken).toEqual(['B-clean in-sync', 'E-vuln in-sync']);
      expect(evidence.get('B-clean in-sync')).toEqual({ found: 'stale', expected: hash });
      expect(evidence.get('E-vuln in-sync')).toEqual({
        found: 'failed: restrictions.cameraDisabled',
        expected: hash,
      });
      await set('A-spy', null);
      expect(
        (
          await evaluate(
            [{ name: 'in-sync', severity: 'medium', check: { policyInSync: true } }],
            {},
            expected,
          )
        ).evidence.get('A-spy in-sync'),
      ).toEqual({ found: 'not reported', expected: hash });
      expect(await brokenBy({ policyInSync: true })).toEqual([]);
      // With an active rollout, a device it never reached is expected to run the released policy.
      const withRollout = {
        ...expected,
        rolloutIds: ['0190a000-0000-7000-8000-00000000fff1'],
        rolloutWaves: [2],
      };
      expect(
        (
          await evaluate(
            [{ name: 'in-sync', severity: 'medium', check: { policyInSync: true } }],
            {},
            withRollout,
          )
        ).broken,
      ).toEqual(['A-spy in-sync', 'B-clean in-sync', 'E-vuln in-sync']);
    });
  });

  describe('scoping', () => {
    const rules: ComplianceRuleInput[] = [
      { name: 'passcode', severity: 'medium', check: { passcodeSet: true } },
      {
        name: 'no-spy',
        severity: 'critical',
        where: 'os=android',
        check: { blockedApps: [{ packageId: 'com.spy.*' }] },
      },
      {
        name: 'ios-os',
        severity: 'high',
        where: 'os=ios and group=sales',
        check: { osVersion: { ios: '18' } },
      },
      { name: 'android-os', severity: 'high', where: 'os=android', check: { osVersion: { android: '14' } } },
    ];

    it("applies each rule only to the devices of its where, and never to retired devices or another org's", async () => {
      const { broken, rows } = await evaluate(rules);
      expect(broken).toEqual([
        'A-spy android-os',
        'A-spy no-spy',
        'A-spy passcode',
        'C-ios ios-os',
        'C-ios passcode',
        'D-ios ios-os',
        'E-vuln android-os',
      ]);
      expect(rows.find((row) => row.rule === 'no-spy')).toMatchObject({ severity: 'critical' });
    });

    it('narrows to the scope: device ids, a selector, or both', async () => {
      expect(
        (await evaluate(rules, { deviceIds: [idOf.get('C-ios')!, idOf.get('E-vuln')!] })).broken,
      ).toEqual(['C-ios ios-os', 'C-ios passcode', 'E-vuln android-os']);
      expect((await evaluate(rules, { where: 'group=finance' })).broken).toEqual([
        'A-spy android-os',
        'A-spy no-spy',
        'A-spy passcode',
      ]);
      expect(
        (await evaluate(rules, { where: 'os=ios', deviceIds: [idOf.get('D-ios')!, idOf.get('A-spy')!] }))
          .broken,
      ).toEqual(['D-ios ios-os']);
      expect((await evaluate(rules, { deviceIds: [] })).broken).toEqual([]);
      const scope = compileScope(
        { orgId: org.id, where: 'os=ios', deviceIds: [idOf.get('D-ios')!, idOf.get('A-spy')!] },
        2,
      );
      const scoped = await server.db.query<{ id: string; group_name: string }>(
        `SELECT s.* FROM (${scope.sql}) s WHERE $1::int = 1`,
        [1, ...scope.params],
      );
      expect(scoped).toEqual([{ id: idOf.get('D-ios'), group_name: 'sales' }]);
    });

    it('evaluates no rules to nothing, and numbers its parameters from the one given', async () => {
      expect((await evaluate([])).rows).toEqual([]);
      const compiled = compileRules(
        rules.map(rule),
        { orgId: org.id, where: 'group=finance' },
        NO_EXPECTED_POLICIES,
        3,
      );
      const rows = await server.db.query<{ n: number }>(
        `SELECT count(*)::int + $1::int + $2::int AS n FROM (${compiled.sql}) f`,
        [100, 1000, ...compiled.params],
      );
      expect(rows[0]!.n).toBe(1103);
    });
  });
});

describeStores('compliance rule set', (server) => {
  const document = (rules: ComplianceRuleInput[]) =>
    ComplianceRulesDocument.parse({ apiVersion: 'fleetops.dev/v1', kind: 'ComplianceRules', rules });
  const request = (
    rules: ComplianceRuleInput[],
    extra: { baseRevision?: number; dryRun?: boolean } = {},
  ) => ({
    document: document(rules),
    dryRun: false,
    ...extra,
  });
  const passcode: ComplianceRuleInput = {
    name: 'passcode',
    severity: 'medium',
    check: { passcodeSet: true },
  };
  const spy: ComplianceRuleInput = {
    name: 'no-spy',
    severity: 'critical',
    check: { blockedApps: [{ packageId: 'com.spy.exact', label: 'SpyApp' }] },
  };
  const rooted: ComplianceRuleInput = { name: 'not-rooted', severity: 'high', check: { notRooted: true } };
  let ruleSets: ReturnType<typeof createComplianceRuleSets>;

  beforeAll(() => {
    ruleSets = createComplianceRuleSets(server.db, createDevicePolicies(server.db));
  });

  const refusal = async (promise: Promise<unknown>) => {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    if (!(error instanceof ApiError)) throw new Error(`expected an ApiError, got ${String(error)}`);
    return error;
  };

  it('is revision 0 without rules before the first apply, then stores each change as a revision', async () => {
    const org = await server.newOrg();
    expect(await ruleSets.get(org.id)).toEqual({ revision: 0, rules: [], updatedAt: null });

    const first = await ruleSets.apply(org.id, request([passcode, spy], { baseRevision: 0 }));
    expect(first).toEqual({
      revision: 1,
      added: ['no-spy', 'passcode'],
      changed: [],
      removed: [],
      unchanged: [],
      warnings: [],
      dryRun: false,
    });
    const stored = await ruleSets.get(org.id);
    expect(stored.revision).toBe(1);
    expect(stored.rules.map((r) => r.name)).toEqual(['passcode', 'no-spy']);
    expect(Date.parse(stored.updatedAt!)).toBeGreaterThan(Date.now() - 60_000);

    const second = await ruleSets.apply(
      org.id,
      request([{ ...passcode, severity: 'high' }, rooted], { baseRevision: 1 }),
    );
    expect(second).toMatchObject({
      revision: 2,
      added: ['not-rooted'],
      changed: ['passcode'],
      removed: ['no-spy'],
    });
    expect((await ruleSets.get(org.id)).rules.map((r) => [r.name, r.severity])).toEqual([
      ['passcode', 'high'],
      ['not-rooted', 'high'],
    ]);

    const same = await ruleSets.apply(org.id, request([rooted, { ...passcode, severity: 'high' }]));
    expect(same).toMatchObject({
      revision: 2,
      unchanged: ['not-rooted', 'passcode'],
      added: [],
      changed: [],
    });
    expect((await ruleSets.get(org.id)).revision).toBe(2);
  });

  it('a dry run reports the changes and the revision they would make, and stores nothing', async () => {
    const org = await server.newOrg();
    await ruleSets.apply(org.id, request([passcode]));
    const dry = await ruleSets.apply(org.id, request([spy], { dryRun: true, baseRevision: 1 }));
    expect(dry).toMatchObject({ revision: 2, added: ['no-spy'], removed: ['passcode'], dryRun: true });
    const stored = await ruleSets.get(org.id);
    expect(stored.revision).toBe(1);
    expect(stored.rules.map((r) => r.name)).toEqual(['passcode']);
  });

  it('refuses with 409 an apply made on a revision that is no longer stored', async () => {
    const org = await server.newOrg();
    await ruleSets.apply(org.id, request([passcode], { baseRevision: 0 }));
    const error = await refusal(ruleSets.apply(org.id, request([spy], { baseRevision: 0 })));
    expect(error.status).toBe(409);
    expect(error.message).toContain('revision 1 is stored, the request was made on 0');
    expect((await ruleSets.get(org.id)).rules.map((r) => r.name)).toEqual(['passcode']);
  });

  it('refuses a where that is not a selector and a name used twice, naming the rules, storing nothing', async () => {
    const org = await server.newOrg();
    const badWhere = await refusal(
      ruleSets.apply(org.id, request([passcode, { ...spy, where: 'grop=finance' }])),
    );
    expect(badWhere.status).toBe(422);
    expect(badWhere.message).toMatch(/^invalid body\.document\.rules\.1\.where: rule no-spy: /);
    expect(badWhere.details?.issues?.[0]?.path).toBe('body.document.rules.1.where');

    const twice = await refusal(
      ruleSets.apply(org.id, request([passcode, spy, { ...rooted, name: 'passcode' }])),
    );
    expect(twice.status).toBe(422);
    expect(twice.message).toBe(
      'invalid body.document.rules.2.name: rules[0] and rules[2] are both named passcode: give each rule its own name',
    );
    expect(await ruleSets.get(org.id)).toMatchObject({ revision: 0, rules: [] });
  });

  it('warns of a blockedApps glob that matches every distinct app installed, naming the rule, glob and count', async () => {
    const org = await server.newOrg();
    const apply = (rules: ComplianceRuleInput[]) => ruleSets.apply(org.id, request(rules, { dryRun: true }));
    const everything: ComplianceRuleInput = {
      name: 'block-all',
      severity: 'low',
      check: { blockedApps: [{ packageId: '*' }, { packageId: 'com.*' }, { packageId: 'com.spy.*' }] },
    };
    expect((await apply([everything])).warnings).toEqual([]);
    await insertInventory(server.db, org.id, [
      InventoryDevice.parse({
        serial: 'W1',
        os: 'android',
        osVersion: '14',
        apps: [app('com.spy.exact'), app('com.corp.vpn')],
      }),
      InventoryDevice.parse({
        serial: 'W2',
        os: 'android',
        osVersion: '14',
        apps: [app('com.corp.vpn'), app('com.b')],
      }),
    ]);
    expect((await apply([everything])).warnings).toEqual([
      "blockedApps glob '*' of rule block-all matches all 3 distinct apps installed",
      "blockedApps glob 'com.*' of rule block-all matches all 3 distinct apps installed",
    ]);
    const certified: ComplianceRuleInput = {
      name: 'with-cert',
      severity: 'low',
      check: { blockedApps: [{ packageId: '*', certificate: CERT }] },
    };
    expect((await apply([certified])).warnings).toEqual([]);
  });

  it('gives devices the blocklist of every blockedApps rule with a hash, rebuilt when an apply changes it', async () => {
    const org = await server.newOrg();
    const blocklist = createDeviceAppRules(ruleSets);
    const empty = await blocklist.forOrg(org.id);
    expect(empty.blockedApps).toEqual([]);

    await ruleSets.apply(
      org.id,
      request([
        passcode,
        spy,
        { ...spy, name: 'by-cert', severity: 'high', check: { blockedApps: [{ certificate: CERT }] } },
      ]),
    );
    const first = await blocklist.forOrg(org.id);
    expect(first.blockedApps).toEqual([
      { packageId: 'com.spy.exact', label: 'SpyApp', rule: 'no-spy', severity: 'critical' },
      { certificate: CERT.toUpperCase(), rule: 'by-cert', severity: 'high' },
    ]);
    expect(first.hash).not.toBe(empty.hash);
    expect(await blocklist.forOrg(org.id)).toBe(first);

    await ruleSets.apply(org.id, request([passcode, spy]));
    const second = await blocklist.forOrg(org.id);
    expect(second.blockedApps).toHaveLength(1);
    expect(second.hash).not.toBe(first.hash);
    // Another server sharing the store builds the same list with the same hash.
    const elsewhere = createDeviceAppRules(
      createComplianceRuleSets(server.db, createDevicePolicies(server.db)),
    );
    expect((await elsewhere.forOrg(org.id)).hash).toBe(second.hash);
  });
});
