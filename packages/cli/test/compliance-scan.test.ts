import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ComplianceResult } from '@fleetops/protocol';
import { FleetClient } from '@fleetops/sdk';
import { type RunningServer, startServer } from '@fleetops/server';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMPLIANCE_RULES, enrollComplianceFleet } from './compliance-fleet';
import { cliEnv, runCli, tempDir } from './helpers';
import { findAll, parseXml } from './xml';

let server: RunningServer;
let sdk: FleetClient;
let dir: Awaited<ReturnType<typeof tempDir>>;
let env: NodeJS.ProcessEnv;

const fleetops = (...args: string[]) => runCli(args, env);
const file = (name: string) => join(dir.path, name);

beforeAll(async () => {
  server = await startServer({ port: 0, logLevel: 'silent' });
  dir = await tempDir('compliance-scan');
  env = cliEnv(dir.path, { FLEETOPS_SERVER: server.url, FLEETOPS_TOKEN: server.adminToken! });
  sdk = new FleetClient({ baseUrl: server.url, token: server.adminToken! });
  await sdk.compliance.rules.apply(COMPLIANCE_RULES);
});

afterAll(async () => {
  await sdk?.close();
  await server?.close();
  await dir?.remove();
});

describe('an empty fleet', () => {
  it('has no scan to show before the first one', async () => {
    const run = await fleetops('compliance', 'scan', '--no-run');
    expect(run).toMatchObject({
      code: 1,
      stdout: '',
      stderr: 'error: no scan yet\nhint: run one: fleetops compliance scan\n',
    });
  });

  it('is a clear empty result, exit 0, whatever --fail-on says', async () => {
    const run = await fleetops('compliance', 'scan', '--fail-on', 'low');
    expect(run).toMatchObject({ code: 0, stdout: 'no devices to scan\n', stderr: '' });
  });

  it('gives a valid JUnit report with no test case', async () => {
    const run = await fleetops('compliance', 'scan', '-o', 'junit');
    expect(run.code, run.stderr).toBe(0);
    const root = parseXml(run.stdout);
    expect(root.attributes).toMatchObject({ tests: '0', failures: '0' });
    expect(findAll(root, 'testcase')).toEqual([]);
    expect(run.stderr).toBe('no devices to scan\n');
  });
});

describe('a fleet breaking rules', () => {
  let serials: Record<string, string>;

  beforeAll(async () => {
    const fleet = await enrollComplianceFleet(server);
    serials = Object.fromEntries(Object.entries(fleet).map(([name, device]) => [name, device.facts.serial]));
  });

  it('lists each device and rule broken with the evidence and the next step, then a summary', async () => {
    const run = await fleetops('compliance', 'scan');
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.split('\n');
    const row = (serial: string) => lines.find((line) => line.includes(serial)) ?? '';
    expect(lines[1]).toMatch(/SERIAL\s+│ DEVICE\s+│ GROUP\s+│ RULE\s+│ SEVERITY\s+│ EVIDENCE\s+│ NEXT STEP/);
    expect(row(serials.spied!)).toMatch(
      /│ finance\s+│ no-stalkerware\s+│ critical\s+│ com\.mspy\.lite 6\.0\.9 \(mSpy\)\s+│ locks in 2 days\s+│/,
    );
    expect(row(serials.outdated!)).toMatch(/│ os-minimum\s+│ high\s+│ found 12\b.*│ wiped in 5 h\s+│/);
    expect(row(serials.unlocked!)).toMatch(/│ passcode-set\s+│ medium\s+│ found false.*│ lock due now\s+│/);
    expect(row(serials.compliant!)).toBe('');
    expect(lines.at(-2)).toBe(
      'scanned 4 devices, 3 non-compliant, rate 25.0%, by severity: critical 1, high 1, medium 1, low 0',
    );
  });

  it('exits 4 when a violation is at or above --fail-on, 0 when none is', async () => {
    const critical = await fleetops('compliance', 'scan', '--fail-on', 'critical');
    expect(critical.code, critical.stderr).toBe(4);
    const sales = ['compliance', 'scan', '--where', 'group = sales'];
    const high = await fleetops(...sales, '--fail-on', 'high');
    expect(high.code, high.stderr).toBe(0);
    expect(high.stdout).toContain('scanned 2 devices (where group = sales), 1 non-compliant, rate 50.0%');
    expect((await fleetops(...sales, '--fail-on', 'medium')).code).toBe(4);
    expect((await fleetops('compliance', 'scan', '--no-run', '--fail-on', 'medium')).code).toBe(4);
  });

  it('writes a JUnit report CI systems read: a suite per rule, a failing test case per device', async () => {
    const run = await fleetops(
      'compliance',
      'scan',
      '--fail-on',
      'high',
      '-o',
      'junit',
      '--out',
      file('scan.xml'),
    );
    expect(run.code, run.stderr).toBe(4);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/non-compliant.*; junit report written to .*scan\.xml\n$/);
    const root = parseXml(await readFile(file('scan.xml'), 'utf8'));
    const suites = findAll(root, 'testsuite');
    expect(suites.map((s) => [s.attributes.name, s.attributes.failures])).toEqual([
      ['no-stalkerware', '1'],
      ['os-minimum', '1'],
      ['passcode-set', '1'],
      ['storage-encrypted', '0'],
    ]);
    expect(suites.every((s) => s.attributes.tests === '4')).toBe(true);
    const cases = findAll(root, 'testcase');
    expect(cases).toHaveLength(3);
    expect(findAll(root, 'failure')).toHaveLength(3);
    expect(root.attributes).toMatchObject({ tests: '16', failures: '3' });
    const spied = cases.find((c) => c.attributes.name?.startsWith(serials.spied!));
    expect(findAll(spied!, 'failure')[0]!.attributes).toEqual({
      message: 'critical: com.mspy.lite 6.0.9 (mSpy)',
      type: 'critical',
    });
  });

  it('writes CSV with one row per violation and every column a spreadsheet needs', async () => {
    const run = await fleetops('compliance', 'scan', '--no-run', '-o', 'csv');
    expect(run.code, run.stderr).toBe(0);
    const rows = parse(run.stdout, { columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0]!)).toEqual([
      'deviceId',
      'serial',
      'model',
      'os',
      'osVersion',
      'group',
      'mode',
      'rule',
      'severity',
      'evidence',
      'since',
      'nextAction',
      'nextDueAt',
      'scanId',
    ]);
    expect(rows.map((r) => [r.serial, r.rule, r.severity, r.nextAction])).toEqual([
      [serials.spied, 'no-stalkerware', 'critical', 'lock'],
      [serials.outdated, 'os-minimum', 'high', 'wipe'],
      [serials.unlocked, 'passcode-set', 'medium', 'lock'],
    ]);
    expect(rows[0]!.evidence).toBe('app com.mspy.lite 6.0.9 (mSpy)');
    expect(run.stderr).toMatch(/^scanned 4 devices, 3 non-compliant/);
  });

  it('streams the results as NDJSON, and shows an existing scan without running one', async () => {
    const before = (await sdk.compliance.scans.list().toArray()).length;
    const latest = await sdk.compliance.scans.get('latest');
    const run = await fleetops('compliance', 'scan', '--scan', latest.id, '-o', 'ndjson');
    expect(run.code, run.stderr).toBe(0);
    const results = run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as ComplianceResult);
    expect(results.map((r) => r.rule)).toEqual(['no-stalkerware', 'os-minimum', 'passcode-set']);
    expect(new Set(results.map((r) => r.scanId))).toEqual(new Set([latest.id]));
    expect((await sdk.compliance.scans.list().toArray()).length).toBe(before);
  });

  it('refuses flags that do not go together, and reports elsewhere, with one clear line', async () => {
    const out = await fleetops('compliance', 'scan', '-o', 'csv', '--out', file('scan.csv'));
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/^error: --out is for the reports \(-o junit, -o html\)\n/);
    const where = await fleetops('compliance', 'scan', '--no-run', '--where', 'group = sales');
    expect(where.code).toBe(2);
    expect(where.stderr).toMatch(/^error: --where chooses the devices of a new scan/);
    const id = await fleetops('compliance', 'scan', '--scan', 'yesterday');
    expect(id).toMatchObject({ code: 2, stderr: 'error: "yesterday" is not a scan id (expected a UUID)\n' });
    const elsewhere = await fleetops('devices', 'list', '-o', 'junit');
    expect(elsewhere.code).toBe(2);
    expect(elsewhere.stderr).toMatch(
      /argument 'junit' is invalid\. Allowed choices are table, json, ndjson, csv, yaml\./,
    );
  });
});
