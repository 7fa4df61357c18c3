import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type {
  ApplyRulesResult,
  ComplianceEvent,
  ComplianceImpact,
  ComplianceRule,
  InstalledApp,
  Job,
  ManagementMode,
  RemediationResult,
} from '@fleetops/protocol';
import { FleetClient } from '@fleetops/sdk';
import { type RunningServer, startServer } from '@fleetops/server';
import { parse as parseCsv } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import type { GlobalOptions } from '../src/command';
import type { RemediateOptions } from '../src/commands/compliance/remediate';
import { commands } from '../src/commands/index';
import { openProfileStore } from '../src/config';
import { runCommand } from '../src/run';
import { type FleetDevice, MSPY, reportState } from './compliance-fleet';
import { cliEnv, deviceFacts, enrollDevice, runCli, tempDir } from './helpers';
import { memoryStreams } from './memory-io';

let server: RunningServer;
let sdk: FleetClient;
let dir: Awaited<ReturnType<typeof tempDir>>;
let env: NodeJS.ProcessEnv;
let fleet: Record<'spied' | 'spiedByod' | 'outdated' | 'unlocked' | 'compliant', FleetDevice>;

const fleetops = (...args: string[]) => runCli(args, env);
const json = <T>(text: string) => JSON.parse(text) as T;
const fixture = (name: string) => new URL(`fixtures/compliance/${name}`, import.meta.url).pathname;
const example = (name: string) => new URL(`../../../examples/compliance/${name}`, import.meta.url).pathname;
const file = (name: string) => join(dir.path, name);

const MAPS: InstalledApp = {
  packageId: 'com.example.maps',
  name: 'Maps',
  version: '3.2.0',
  installer: 'com.android.vending',
  certificate: null,
};

/** Enrolls a device in `group` and reports its apps, with a passcode and Android 15 unless said otherwise. */
async function enroll(
  group: string,
  mode: ManagementMode,
  facts: { osVersion?: string; passcodeSet?: boolean },
  apps: InstalledApp[],
): Promise<FleetDevice> {
  const { token } = await server.createEnrollmentToken({ group, mode });
  const reported = deviceFacts({ passcodeSet: true, storageEncrypted: true, rooted: false, ...facts });
  const device = { enrolled: await enrollDevice(server.url, token, reported), facts: reported };
  await reportState(server.url, device, { apps });
  return device;
}

const storedRules = async () => (await sdk.compliance.rules.get()).rules;

/** Runs `compliance remediate` at a (simulated) terminal, typing `keys` at the confirmation. */
async function remediateAtTerminal(options: RemediateOptions, keys: string) {
  const { streams, stdin, stdout, stderr } = memoryStreams({ tty: true, env: { NO_COLOR: '1' } });
  // The confirmation reads keys one by one, as from a terminal in raw mode.
  Object.assign(stdin, { setRawMode: () => stdin });
  const opts: GlobalOptions & RemediateOptions = {
    ...options,
    server: server.url,
    token: server.adminToken!,
    output: 'json',
    color: false,
    quiet: true,
    verbose: false,
  };
  stdin.write(keys);
  const remediate = commands.find((c) => c.path === 'compliance remediate')!;
  const code = await runCommand(remediate, opts, {
    streams,
    config: openProfileStore({ FLEETOPS_CONFIG_DIR: dir.path }),
  });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

beforeAll(async () => {
  server = await startServer({ port: 0, logLevel: 'silent' });
  dir = await tempDir('compliance');
  env = cliEnv(dir.path, { FLEETOPS_SERVER: server.url, FLEETOPS_TOKEN: server.adminToken! });
  sdk = new FleetClient({ baseUrl: server.url, token: server.adminToken! });
  fleet = {
    spied: await enroll('finance', 'COPE', {}, [MAPS, MSPY]),
    spiedByod: await enroll('finance', 'BYOD', {}, [MSPY]),
    outdated: await enroll('finance', 'COPE', { osVersion: '12' }, [MAPS]),
    unlocked: await enroll('sales', 'COPE', { passcodeSet: false }, [MAPS]),
    compliant: await enroll('sales', 'COPE', {}, [MAPS]),
  };
});

afterAll(async () => {
  await sdk?.close();
  await server?.close();
  await dir?.remove();
});

describe('compliance rules apply and get', () => {
  it('before any apply, get prints an empty rules document and says revision 0', async () => {
    const run = await fleetops('compliance', 'rules', 'get');
    expect(run.code).toBe(0);
    expect(parseYaml(run.stdout)).toEqual({
      apiVersion: 'fleetops.dev/v1',
      kind: 'ComplianceRules',
      rules: [],
    });
    expect(run.stderr).toBe('no rules were applied yet (revision 0)\n');
  });

  it('a bad file is reported field by field at file:line:col, exit 2, and nothing is applied', async () => {
    const bad = fixture('bad-rules.yaml');
    const run = await fleetops('compliance', 'rules', 'apply', bad);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.split('\n')).toEqual([
      `${bad}:9:22: rules[0].check.blockedApps[1].packageId: a package id such as com.example.app, or a glob such as com.example.* (letters, digits, _ . *)`,
      `${bad}:11:17: rules[0].escalation[0].action: expected one of "notify", "lock", "remove-app", "wipe", got "brick"`,
      `${bad}:13:15: rules[1].severity: expected one of "low", "medium", "high", "critical", got "urgent"`,
      `error: 3 problems in ${bad}: nothing was applied`,
      '',
    ]);
    expect(await storedRules()).toEqual([]);
  });

  it('--dry-run lists what would be added and changes nothing', async () => {
    const run = await fleetops('compliance', 'rules', 'apply', fixture('rules.yaml'), '--dry-run');
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toBe(
      'dry run: 3 added, 0 changed, 0 removed, 0 unchanged; nothing was applied\n' +
        '+ no-stalkerware\n+ os-minimum\n+ passcode-set\n',
    );
    expect(await storedRules()).toEqual([]);
  });

  it('applies a good file as revision 1, naming the rules added', async () => {
    const run = await fleetops('compliance', 'rules', 'apply', fixture('rules.yaml'));
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toBe(
      'revision 1: 3 added, 0 changed, 0 removed, 0 unchanged\n+ no-stalkerware\n+ os-minimum\n+ passcode-set\n',
    );
    expect((await storedRules()).map((rule) => rule.name)).toEqual([
      'no-stalkerware',
      'os-minimum',
      'passcode-set',
    ]);
  });

  it('get prints a document that apply takes back as no change', async () => {
    const got = await fleetops('compliance', 'rules', 'get');
    expect(got.code).toBe(0);
    expect(got.stderr).toMatch(/^revision 1, 3 rules, applied \d{4}-/);
    expect(got.stdout).toContain(
      '  - name: no-stalkerware\n    description: Known stalkerware\n    severity: critical\n',
    );
    await writeFile(file('pulled.yaml'), got.stdout);
    const again = await fleetops('compliance', 'rules', 'apply', file('pulled.yaml'), '-o', 'json');
    expect(again.code).toBe(0);
    expect(json<ApplyRulesResult>(again.stdout)).toMatchObject({
      revision: 1,
      added: [],
      changed: [],
      removed: [],
      unchanged: ['no-stalkerware', 'os-minimum', 'passcode-set'],
    });
  });

  it('a stale --base-revision is refused with a hint to get the rules again', async () => {
    const run = await fleetops('compliance', 'rules', 'apply', fixture('rules.yaml'), '--base-revision', '0');
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error: 409 conflict: .*\nhint: someone applied rules since: get them again/);
  });

  it('the server warns about a blocklist glob that matches every app installed', async () => {
    const text = (await readFile(fixture('rules.yaml'), 'utf8')).replace(
      'packageId: com.mspy.*',
      "packageId: '*'",
    );
    await writeFile(file('glob-all.yaml'), text);
    const run = await fleetops('compliance', 'rules', 'apply', file('glob-all.yaml'), '--dry-run');
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(
      /^warning: blockedApps glob '\*' of rule no-stalkerware matches all 2 distinct apps/,
    );
    expect(run.stdout).toMatch(/^dry run: 0 added, 1 changed/);
  });
});

describe('compliance rules import-blocklist', () => {
  it('puts the real stalkerware lists into a rule, one entry per package or digest, and applies it', async () => {
    const run = await fleetops(
      'compliance',
      'rules',
      'import-blocklist',
      example('stalkerware-packages.tsv'),
      example('stalkerware-certificates.tsv'),
      '--rule',
      'stalkerware-indicators',
    );
    expect(run.code).toBe(0);
    expect(run.stderr).toBe(
      'read 613 package id(s) and 471 certificate digest(s); 4 named twice, merged\nadding rule stalkerware-indicators\n',
    );
    expect(run.stdout).toBe(
      'revision 2: 1 added, 0 changed, 0 removed, 3 unchanged\n+ stalkerware-indicators\n',
    );
    const rule = (await storedRules()).find((r) => r.name === 'stalkerware-indicators')!;
    expect(rule).toMatchObject({
      severity: 'high',
      description: 'Blocklist imported from stalkerware-packages.tsv, stalkerware-certificates.tsv',
    });
    const matchers = 'blockedApps' in rule.check ? rule.check.blockedApps : [];
    expect(matchers).toHaveLength(1084);
    expect(matchers).toContainEqual({ packageId: 'com.apspy.app', label: 'TheTruthSpy' });
    expect(matchers).toContainEqual({ packageId: 'com.sc.spyier.v2', label: 'Cocospy, Spyier' });
    expect(matchers).toContainEqual({
      certificate: '31A6ECECD97CF39BC4126B8745CD94A7C30BF81C',
      label: 'TheTruthSpy',
    });
  });

  it('importing again replaces the list of that rule, keeping the others', async () => {
    await writeFile(file('short.tsv'), '# one app\ncom.apspy.app\tTheTruthSpy\tstalkerware\n');
    const run = await fleetops(
      'compliance',
      'rules',
      'import-blocklist',
      file('short.tsv'),
      '--rule',
      'stalkerware-indicators',
      '--severity',
      'critical',
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(
      'revision 3: 0 added, 1 changed, 0 removed, 3 unchanged\n~ stalkerware-indicators\n',
    );
    const rules = await storedRules();
    expect(rules.map((r) => r.name)).toEqual([
      'no-stalkerware',
      'os-minimum',
      'passcode-set',
      'stalkerware-indicators',
    ]);
    expect(rules[3]).toMatchObject({
      severity: 'critical',
      check: { blockedApps: [{ packageId: 'com.apspy.app', label: 'TheTruthSpy' }] },
    });
  });

  it('names the bad lines of a list and applies nothing', async () => {
    const list = fixture('blocklist.csv');
    const run = await fleetops('compliance', 'rules', 'import-blocklist', list, '--rule', 'spyware');
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      `error: ${list}:3: "not a package" is neither a package id such as com.example.app nor a SHA-1 or SHA-256 certificate digest\n` +
        `${list}:5: "spyapp" is neither a package id such as com.example.app nor a SHA-1 or SHA-256 certificate digest\n`,
    );
    expect((await storedRules()).map((r) => r.name)).not.toContain('spyware');
  });

  it('does not turn a rule of another check into a blocklist', async () => {
    const run = await fleetops(
      'compliance',
      'rules',
      'import-blocklist',
      file('short.tsv'),
      '--rule',
      'os-minimum',
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('error: rule os-minimum checks osVersion, not blockedApps');
  });
});

describe('compliance impact', () => {
  it('says what a rules file would flag and do on the live fleet, applying nothing', async () => {
    const stricter = (await readFile(fixture('rules.yaml'), 'utf8')).replace(
      'android: "14"',
      'android: "16"',
    );
    await writeFile(file('stricter.yaml'), stricter);
    const before = await storedRules();
    const run = await fleetops('compliance', 'impact', file('stricter.yaml'));
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const [headline, fleetLine, ...table] = run.stdout.split('\n');
    expect(headline).toBe('5 devices become non-compliant, 3 would be locked, 2 wiped');
    expect(fleetLine).toBe('of 5 devices: 0 non-compliant now, 5 with these rules');
    expect(table.join('\n')).toMatch(
      /│ no-stalkerware\s+│ critical\s+│ 2\s+│ 2\s+│ notify at once: 2, lock after 2d: 2, wipe after 7d: 2\s+│/,
    );
    expect(table.join('\n')).toMatch(/│ os-minimum\s+│ high\s+│ 5\s+│ 5\s+│\s+│/);
    expect(await storedRules()).toEqual(before);

    const asJson = await fleetops('compliance', 'impact', file('stricter.yaml'), '-o', 'json');
    expect(json<ComplianceImpact>(asJson.stdout)).toMatchObject({
      deviceCount: 5,
      wouldLock: 3,
      wouldWipe: 2,
    });
  });

  it('a bad file is reported at its line, nothing is evaluated', async () => {
    const run = await fleetops('compliance', 'impact', fixture('bad-rules.yaml'));
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/bad-rules\.yaml:9:22: rules\[0\]\.check\.blockedApps\[1\]\.packageId: /);
    expect(run.stderr).toMatch(/error: 3 problems in .*: nothing was evaluated\n$/);
  });
});

describe('compliance test, offline', () => {
  it('lists the violations of the recorded inventory, worst first', async () => {
    const run = await fleetops(
      'compliance',
      'test',
      fixture('rules.yaml'),
      '--inventory',
      fixture('inventory.json'),
    );
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('2 of 3 devices break a rule: 2 violations (critical 1, high 1)\n');
    expect(run.stdout).toMatch(
      /│ INV-SPIED\s+│ no-stalkerware │ critical\s+│ com\.mspy\.lite 6\.0\.9 \(mSpy\)\s+│/,
    );
    expect(run.stdout).toMatch(/│ INV-OUTDATED │ os-minimum\s+│ high\s+│ found 12, expected 14\s+│/);
    expect(run.stdout).not.toContain('INV-OK');
  });

  it('exits 4 with --fail-on when a violation is at or above it, 0 when none is', async () => {
    const args = ['compliance', 'test', fixture('rules.yaml'), '--inventory', fixture('inventory.json')];
    expect((await fleetops(...args, '--fail-on', 'high')).code).toBe(4);
    const csv = await fleetops(...args, '--fail-on', 'critical', '-o', 'csv');
    expect(csv.code).toBe(4);
    expect(parseCsv(csv.stdout, { columns: true })).toEqual([
      expect.objectContaining({ serial: 'INV-SPIED', rule: 'no-stalkerware', severity: 'critical' }),
      expect.objectContaining({ serial: 'INV-OUTDATED', rule: 'os-minimum', severity: 'high' }),
    ]);
    const lenient = (await readFile(fixture('rules.yaml'), 'utf8'))
      .replace('severity: critical', 'severity: medium')
      .replace('severity: high', 'severity: low');
    await writeFile(file('lenient.yaml'), lenient);
    const passing = await fleetops(
      'compliance',
      'test',
      file('lenient.yaml'),
      '--inventory',
      fixture('inventory.json'),
      '--fail-on',
      'high',
    );
    expect(passing.code).toBe(0);
  });

  it('a bad inventory is reported at its line, exit 2', async () => {
    const bad = fixture('bad-inventory.json');
    const run = await fleetops('compliance', 'test', fixture('rules.yaml'), '--inventory', bad);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      `${bad}:4:32: devices[1].os: expected one of "android", "ios", got "windows"\n` +
        `error: 1 problem in ${bad}: nothing was evaluated\n`,
    );
  });
});

describe('compliance remediate', () => {
  let scanId: string;

  beforeAll(async () => {
    scanId = (await sdk.compliance.scan()).id;
  });

  it('--dry-run shows the plan and creates no job', async () => {
    const run = await fleetops(
      'compliance',
      'remediate',
      '--rule',
      'no-stalkerware',
      '--action',
      'lock',
      '--grace',
      '0s',
      '--dry-run',
      '-o',
      'json',
    );
    expect(run.code).toBe(0);
    const plan = json<RemediationResult>(run.stdout);
    expect(plan).toMatchObject({ dryRun: true, scanId, deviceCount: 2 });
    expect(plan.items).toEqual([
      expect.objectContaining({ action: 'lock', command: 'lock', jobId: null, deviceIds: expect.any(Array) }),
    ]);
    expect(new Set(plan.items[0]!.deviceIds)).toEqual(
      new Set([fleet.spied.enrolled.deviceId, fleet.spiedByod.enrolled.deviceId]),
    );
    expect(await sdk.jobs.list().toArray()).toEqual([]);
  });

  it('a grace period the violations are not past yet leaves them alone', async () => {
    const run = await fleetops(
      'compliance',
      'remediate',
      '--rule',
      'no-stalkerware',
      '--action',
      'lock',
      '--grace',
      '3d',
      '--yes',
    );
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toBe(
      'nothing to remediate: no violation is due for a step\nin grace: 2 violations not old enough yet\n',
    );
  });

  it('a lock is not sent without confirmation outside a terminal (exit 2)', async () => {
    const run = await fleetops('compliance', 'remediate', '--rule', 'no-stalkerware', '--action', 'lock');
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      'error: refusing to send lock to 2 devices without confirmation (not at a terminal)\n' +
        'hint: check the plan with --dry-run, then pass --yes to confirm\n',
    );
    expect(await sdk.jobs.list().toArray()).toEqual([]);
  });

  it('with --yes, creates the job and prints its id; running it again creates nothing', async () => {
    const run = await fleetops(
      'compliance',
      'remediate',
      '--rule',
      'no-stalkerware',
      '--action',
      'lock',
      '--yes',
      '--reason',
      'stalkerware found',
    );
    expect(run.code).toBe(0);
    const [job] = await sdk.jobs.list().toArray();
    expect(job).toMatchObject({ type: 'lock', targetCount: 2, reason: 'stalkerware found' });
    expect(run.stdout).toMatch(
      new RegExp(`│ no-stalkerware │ lock\\s+│ lock\\s+│\\s+│ 2\\s+│ ${job!.id} │ \\w+`),
    );
    expect(run.stderr).toContain(`job ${job!.id}: lock for 2 devices`);

    const again = await fleetops(
      'compliance',
      'remediate',
      '--rule',
      'no-stalkerware',
      '--action',
      'lock',
      '--yes',
    );
    expect(again).toMatchObject({ code: 0, stderr: '' });
    expect(again.stdout).toBe(
      'nothing to remediate: no violation is due for a step\n' +
        'already done: 2 violations had this step taken by an earlier job\n',
    );
    expect(await sdk.jobs.list().toArray()).toHaveLength(1);
  });

  it('at a terminal, a lock is sent once the number of devices is typed; another number cancels', async () => {
    const canceled = await remediateAtTerminal({ rule: 'passcode-set' }, '7\r');
    expect(canceled.code).toBe(1);
    expect(canceled.stderr).toContain('Send lock to 1 device?');
    expect(canceled.stderr).toContain('error: canceled: no job was created');
    const jobs = (await sdk.jobs.list().toArray()).length;

    const confirmed = await remediateAtTerminal({ rule: 'passcode-set' }, '1\r');
    expect(confirmed.code).toBe(0);
    const result = json<RemediationResult>(confirmed.stdout);
    expect(result.items).toEqual([
      expect.objectContaining({
        rule: 'passcode-set',
        command: 'lock',
        deviceIds: [fleet.unlocked.enrolled.deviceId],
        jobId: expect.any(String),
      }),
    ]);
    expect(await sdk.jobs.list().toArray()).toHaveLength(jobs + 1);
  });

  it('without --action, sends each violation the due step of its ladder', async () => {
    const run = await fleetops('compliance', 'remediate', '--yes', '-o', 'json');
    expect(run.code).toBe(0);
    const result = json<RemediationResult>(run.stdout);
    expect(result.items).toEqual([
      expect.objectContaining({
        rule: 'no-stalkerware',
        action: 'notify',
        command: 'message',
        jobId: expect.any(String),
      }),
    ]);
    expect(result.items[0]!.deviceIds).toHaveLength(2);
  });

  it('a wipe above the approval threshold waits for a second admin: exit 6, BYOD devices retired', async () => {
    expect((await fleetops('settings', 'set', '--approval-threshold', '0')).code).toBe(0);
    const run = await fleetops(
      'compliance',
      'remediate',
      '--rule',
      'no-stalkerware',
      '--action',
      'wipe',
      '--yes',
      '-o',
      'json',
    );
    expect(run.code).toBe(6);
    const result = json<RemediationResult>(run.stdout);
    expect(result.items.map((item) => item.command).sort()).toEqual(['retire', 'wipe']);
    for (const item of result.items) {
      const job: Job = await sdk.jobs.retrieve(item.jobId!);
      expect(job.status).toBe('awaiting_approval');
      expect(run.stderr).toContain(`to approve it: fleetops jobs approve ${job.id}`);
    }
  });

  it('a guard that does not hold refuses with exit 8', async () => {
    const run = await fleetops(
      'compliance',
      'remediate',
      '--rule',
      'passcode-set',
      '--action',
      'notify',
      '--expect-count',
      '5',
      '--yes',
    );
    expect(run.code).toBe(8);
    expect(run.stderr).toMatch(/^error: refused: /);
  });
});

describe('compliance history and events', () => {
  it('a fixed device stops breaking its rule at its next check-in: a device.compliant event', async () => {
    await reportState(server.url, fleet.outdated, { facts: { osVersion: '15' } });
    const run = await fleetops('compliance', 'events', '--type', 'compliant', '-o', 'json');
    expect(run.code).toBe(0);
    const events = json<ComplianceEvent[]>(run.stdout);
    expect(events).toEqual([
      expect.objectContaining({
        type: 'device.compliant',
        deviceId: fleet.outdated.enrolled.deviceId,
        rule: 'os-minimum',
        source: 'check-in',
      }),
    ]);
  });

  it('events of one device, oldest first, with the evidence in the table', async () => {
    const run = await fleetops('compliance', 'events', '--device', fleet.spied.enrolled.deviceId);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /device\.noncompliant │ \S+\s+│ no-stalkerware\s+│ critical\s+│ scan\s+│ com\.mspy\.lite 6\.0\.9 \(mSpy\)/,
    );
    const none = await fleetops('compliance', 'events', '--since', '2000-01-01', '--rule', 'nothing-here');
    expect(none).toMatchObject({ code: 0, stdout: '', stderr: 'no events match\n' });
  });

  it('history prints the compliance rate per whole-fleet scan as CSV', async () => {
    await sdk.compliance.scan();
    await sdk.compliance.scan({ where: 'group = sales' });
    const run = await fleetops('compliance', 'history', '--since', '30d', '-o', 'csv');
    expect(run.code).toBe(0);
    const rows = parseCsv(run.stdout, { columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0]!)).toEqual([
      'at',
      'complianceRate',
      'deviceCount',
      'nonCompliantCount',
      'critical',
      'high',
      'medium',
      'low',
      'scanId',
    ]);
    expect(rows.map((row) => [row.deviceCount, row.nonCompliantCount, row.complianceRate])).toEqual([
      ['5', '4', '20.0%'],
      ['5', '3', '40.0%'],
    ]);
    expect(run.stderr).toMatch(/^2 scan\(s\) from \S+ to \S+: 20\.0% → 40\.0%\n$/);
    const future = await fleetops('compliance', 'history', '--until', '2000-01-01');
    expect(future).toMatchObject({ code: 0, stdout: '' });
    expect(future.stderr).toContain('no whole-fleet scan in this period');
  });
});

describe('compliance rules as data', () => {
  it('-o json is a rules document too', async () => {
    const run = await fleetops('compliance', 'rules', 'get', '-o', 'json');
    const document = json<{ kind: string; rules: ComplianceRule[] }>(run.stdout);
    expect(document.kind).toBe('ComplianceRules');
    expect(document.rules).toEqual(await storedRules());
  });
});
