import { readFileSync } from 'node:fs';
import { DeviceFacts, InstalledApp } from '@fleetops/protocol';
import { describe, expect, it } from 'vitest';
import { flaggedAppKinds } from './catalog/flagged-apps';
import { generateDevice } from './facts';

const fleet = Array.from({ length: 4000 }, (_, index) => generateDevice(11, index));
const share = (count: number) => count / fleet.length;
const countWhere = (test: (facts: DeviceFacts) => boolean) => fleet.filter((d) => test(d.facts)).length;

/** Indicator rows (indicator, app) of a file the example rules are made from. */
const indicators = (name: string) =>
  readFileSync(new URL(`../../../examples/compliance/${name}`, import.meta.url), 'utf8')
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => line.split('\t') as [string, string]);

describe('security state of generated devices', () => {
  it('is a passcode and encryption on most phones, neither on a few, rarely rooted, sometimes not reported', () => {
    for (const device of fleet.slice(0, 200)) expect(DeviceFacts.parse(device.facts)).toEqual(device.facts);
    expect(share(countWhere((f) => f.passcodeSet === true))).toBeGreaterThan(0.9);
    expect(share(countWhere((f) => f.passcodeSet === false))).toBeGreaterThan(0.01);
    expect(share(countWhere((f) => f.passcodeSet === false))).toBeLessThan(0.08);
    expect(share(countWhere((f) => f.storageEncrypted === true))).toBeGreaterThan(0.9);
    expect(countWhere((f) => f.storageEncrypted === false)).toBeGreaterThan(0);
    expect(countWhere((f) => f.rooted === true)).toBeGreaterThan(0);
    expect(share(countWhere((f) => f.rooted === true))).toBeLessThan(0.03);
    const unreported = countWhere((f) => f.passcodeSet === null);
    expect(share(unreported)).toBeGreaterThan(0);
    expect(share(unreported)).toBeLessThan(0.03);
    expect(
      countWhere((f) => f.passcodeSet === null && (f.storageEncrypted !== null || f.rooted !== null)),
    ).toBe(0);
  });

  it('ties encryption to the passcode on iPhones', () => {
    const iphones = fleet.filter((d) => d.facts.os === 'ios');
    expect(iphones.length).toBeGreaterThan(100);
    for (const { facts } of iphones) expect(facts.storageEncrypted).toBe(facts.passcodeSet);
  });

  it('is the same for the same seed and index', () => {
    expect(generateDevice(11, 7).facts).toEqual(fleet[7]!.facts);
  });
});

describe('signing certificates of installed apps', () => {
  const android = fleet.filter((d) => d.facts.os === 'android');

  it('are well-formed SHA-1 digests on Android, the same for a package on every phone', () => {
    const apps = android.flatMap((device) => device.apps);
    for (const app of apps.slice(0, 500)) expect(InstalledApp.parse(app)).toEqual(app);
    expect(apps.filter((app) => !/^[0-9A-F]{40}$/.test(app.certificate ?? ''))).toEqual([]);
    const byPackage = new Map<string, Set<string | null>>();
    for (const app of apps)
      byPackage.set(app.packageId, (byPackage.get(app.packageId) ?? new Set()).add(app.certificate));
    expect([...byPackage].filter(([, certificates]) => certificates.size > 1)).toEqual([]);
    const certificates = new Set(apps.map((app) => app.certificate));
    expect(certificates.size).toBe(byPackage.size);
  });

  it('are not reported for iPhone apps', () => {
    const iphoneApps = fleet.filter((d) => d.facts.os === 'ios').flatMap((d) => d.apps);
    expect(iphoneApps.length).toBeGreaterThan(0);
    for (const app of iphoneApps) expect(app.certificate).toBeNull();
  });

  it('are the real ones of the stalkerware families, from the indicators copied in the examples', () => {
    const familyOf = new Map(indicators('stalkerware-packages.tsv'));
    const certificatesOf = new Map<string, string[]>();
    for (const [digest, app] of indicators('stalkerware-certificates.tsv'))
      certificatesOf.set(app, [...(certificatesOf.get(app) ?? []), digest]);
    const stalkerware = flaggedAppKinds.find((kind) => kind.reason === 'stalkerware')!.apps;
    for (const app of stalkerware) {
      const family = familyOf.get(app.packageId);
      expect(family, app.packageId).toBeDefined();
      expect(certificatesOf.get(family!), family).toContain(app.certificate);
    }
    const installed = android.flatMap((d) => d.apps).filter((app) => familyOf.has(app.packageId));
    expect(installed.length).toBeGreaterThan(0);
  });
});
