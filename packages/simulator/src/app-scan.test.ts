import { type AppMatcherInput, DeviceAppRules, DeviceAppScan, type InstalledApp } from '@fleetops/protocol';
import { describe, expect, it } from 'vitest';
import { AppScanner, appMatcherTest, compareToBound, MAX_FINDINGS, SharedAppScanners } from './app-scan';

const SPY_CERT = '31A6ECECD97CF39BC4126B8745CD94A7C30BF81C';

const app = (packageId: string, version = '1.0', certificate: string | null = null): InstalledApp => ({
  packageId,
  name: packageId,
  version,
  installer: null,
  certificate,
});

const matches = (matcher: AppMatcherInput, installed: InstalledApp) =>
  appMatcherTest(DeviceAppRules.shape.blockedApps.element.parse({ ...matcher, rule: 'r', severity: 'low' }))(
    installed,
  );

const rules = (hash: string, blockedApps: (AppMatcherInput & { rule: string })[]) =>
  DeviceAppRules.parse({
    hash,
    blockedApps: blockedApps.map((matcher) => ({ severity: 'critical', ...matcher })),
  });

describe('compareToBound', () => {
  it('compares number by number, as the server does', () => {
    expect(compareToBound('9', '13')).toBe(-1);
    expect(compareToBound('13.10', '13.9')).toBe(1);
    expect(compareToBound('17.4', '17.4.1')).toBe(-1);
    expect(compareToBound('17.4.1', '17.4')).toBe(1);
    expect(compareToBound('2.23.1-beta2', '2.23.1')).toBe(1);
    expect(compareToBound('2.23.1-beta', '2.23.1')).toBe(0);
    expect(compareToBound('1.01', '1.1')).toBe(0);
    expect(compareToBound('131.0.6778.39', '131.0.6778.39')).toBe(0);
  });

  it('ignores trailing zeros of the bound, not those of the installed version', () => {
    expect(compareToBound('17', '17.0')).toBe(0);
    expect(compareToBound('17.0', '17')).toBe(1);
  });

  it('reads numbers longer than a double holds without rounding them', () => {
    expect(compareToBound('20241104000000000001', '20241104000000000000')).toBe(1);
  });

  it('puts a version without numbers below any bound', () => {
    expect(compareToBound('Stable', '1')).toBe(-1);
  });
});

describe('app matchers', () => {
  it('match a package id exactly, or by a glob where * is any characters', () => {
    expect(matches({ packageId: 'com.mspy.lite' }, app('com.mspy.lite'))).toBe(true);
    expect(matches({ packageId: 'com.mspy.lite' }, app('com.mspy.lite2'))).toBe(false);
    expect(matches({ packageId: 'com.spy.*' }, app('com.spy.agent'))).toBe(true);
    expect(matches({ packageId: 'com.spy.*' }, app('com.spyware'))).toBe(false);
    expect(matches({ packageId: 'com.*.monitor' }, app('com.android.core.monitor'))).toBe(true);
    expect(matches({ packageId: '*' }, app('anything.at.all'))).toBe(true);
  });

  it('match a signing certificate in either case, and not an unsigned app', () => {
    expect(matches({ certificate: SPY_CERT.toLowerCase() }, app('x.y', '1', SPY_CERT))).toBe(true);
    expect(matches({ certificate: SPY_CERT }, app('x.y', '1', SPY_CERT.toLowerCase()))).toBe(true);
    expect(matches({ certificate: SPY_CERT }, app('x.y'))).toBe(false);
  });

  it('need every part they give to match', () => {
    const matcher = { packageId: 'com.thetruth', certificate: SPY_CERT };
    expect(matches(matcher, app('com.thetruth', '1', SPY_CERT))).toBe(true);
    expect(matches(matcher, app('com.thetruth', '1', '0'.repeat(40)))).toBe(false);
    expect(matches(matcher, app('com.other', '1', SPY_CERT))).toBe(false);
  });

  it('take versionAtLeast as inclusive and versionBelow as exclusive', () => {
    const matcher = { packageId: 'com.android.chrome', versionAtLeast: '80', versionBelow: '120' };
    expect(matches(matcher, app('com.android.chrome', '79.0.3945.136'))).toBe(false);
    expect(matches(matcher, app('com.android.chrome', '80'))).toBe(true);
    expect(matches(matcher, app('com.android.chrome', '86.0.4240.198'))).toBe(true);
    expect(matches(matcher, app('com.android.chrome', '119.0.6045.193'))).toBe(true);
    expect(matches(matcher, app('com.android.chrome', '120'))).toBe(false);
    expect(matches(matcher, app('com.android.chrome', '131.0.6778.39'))).toBe(false);
  });
});

describe('AppScanner', () => {
  const blocklist = rules('h1', [
    { packageId: 'com.thetruth', label: 'TheTruthSpy', rule: 'no-stalkerware' },
    { certificate: SPY_CERT, label: 'TheTruthSpy', rule: 'no-stalkerware' },
    { packageId: 'com.whatsapp.plus', rule: 'sideloaded-apps' },
    { packageId: 'com.whatsapp.*', rule: 'messengers' },
    { packageId: 'com.android.chrome', versionBelow: '120', rule: 'outdated-browser' },
  ]);
  const scanner = new AppScanner(blocklist);

  it('finds each app breaking a rule once per rule, in the order of the apps', () => {
    const apps = [
      app('com.android.chrome', '86.0.4240.198'),
      app('com.spotify.music', '8.9.96.476'),
      // Matched by two matchers of one rule: one finding.
      app('com.thetruth', '3.1.2', SPY_CERT),
      app('com.whatsapp.plus', '17.85'),
    ];
    expect(scanner.findings(apps)).toEqual([
      { packageId: 'com.android.chrome', version: '86.0.4240.198', rule: 'outdated-browser' },
      { packageId: 'com.thetruth', version: '3.1.2', rule: 'no-stalkerware' },
      { packageId: 'com.whatsapp.plus', version: '17.85', rule: 'sideloaded-apps' },
      { packageId: 'com.whatsapp.plus', version: '17.85', rule: 'messengers' },
    ]);
  });

  it('finds a known app under a new package id by its certificate', () => {
    expect(scanner.findings([app('com.android.sys.update', '2.0', SPY_CERT)])).toEqual([
      { packageId: 'com.android.sys.update', version: '2.0', rule: 'no-stalkerware' },
    ]);
  });

  it('finds nothing on a clean device', () => {
    expect(
      scanner.findings([app('com.android.chrome', '131.0.6778.39'), app('com.whatsapp', '2.24')]),
    ).toEqual([]);
  });

  it('reports a scan the protocol accepts: the hash scanned against, when, why, and at most its limit', () => {
    const at = new Date('2026-06-01T08:30:00.000Z');
    const many = Array.from({ length: MAX_FINDINGS + 5 }, (_, i) => app(`com.whatsapp.mod${i}`));
    const report = scanner.scan(many, 'login', at);
    expect(DeviceAppScan.parse(report)).toEqual(report);
    expect(report).toMatchObject({
      rulesHash: 'h1',
      scannedAt: '2026-06-01T08:30:00.000Z',
      trigger: 'login',
    });
    expect(report.findings).toHaveLength(MAX_FINDINGS);
  });
});

describe('SharedAppScanners', () => {
  it('compiles a blocklist once for the devices that share it, and a new one when it changes', () => {
    const shared = new SharedAppScanners();
    const first = shared.scannerFor(rules('h1', [{ packageId: 'a.b', rule: 'r' }]));
    expect(shared.scannerFor(rules('h1', [{ packageId: 'a.b', rule: 'r' }]))).toBe(first);
    const second = shared.scannerFor(rules('h2', [{ packageId: 'c.d', rule: 'r' }]));
    expect(second).not.toBe(first);
    expect(second.findings([app('c.d')])).toEqual([{ packageId: 'c.d', version: '1.0', rule: 'r' }]);
  });
});
