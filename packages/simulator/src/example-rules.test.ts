import { readFileSync } from 'node:fs';
import {
  ComplianceRulesDocument,
  type ComplianceRulesDocumentInput,
  DeviceAppRules,
} from '@fleetops/protocol';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { AppScanner } from './app-scan';
import { flaggedAppKinds } from './catalog/flagged-apps';
import { generateDevice } from './facts';

/** The fleet `npm start` simulates: `fleetops server start --simulate 200`, seed 1. */
const demoFleet = Array.from({ length: 200 }, (_, index) => generateDevice(1, index));

const rulesFile = new URL('../../../examples/compliance/rules.yaml', import.meta.url);
const document = ComplianceRulesDocument.parse(
  parse(readFileSync(rulesFile, 'utf8')) as ComplianceRulesDocumentInput,
);

/** The example's app blocklists as the server sends them to a device at check-in. */
const scanner = new AppScanner(
  DeviceAppRules.parse({
    hash: 'example',
    blockedApps: document.rules.flatMap((rule) =>
      'blockedApps' in rule.check
        ? rule.check.blockedApps.map((matcher) => ({ ...matcher, rule: rule.name, severity: rule.severity }))
        : [],
    ),
  }),
);

describe('examples/compliance/rules.yaml on the demo fleet', () => {
  it('flags some devices, not all, for stalkerware, sideloaded apps and an outdated browser', () => {
    const flagged = new Map<string, number>();
    for (const device of demoFleet) {
      for (const rule of new Set(scanner.findings(device.apps).map((finding) => finding.rule)))
        flagged.set(rule, (flagged.get(rule) ?? 0) + 1);
    }
    for (const rule of ['no-stalkerware', 'sideloaded-apps', 'outdated-browser']) {
      expect(flagged.get(rule), rule).toBeGreaterThan(0);
      expect(flagged.get(rule), rule).toBeLessThan(demoFleet.length / 10);
    }
  });

  it('catches each stalkerware app the simulator installs by its package id and by its certificate alone', () => {
    const stalkerware = flaggedAppKinds.find((kind) => kind.reason === 'stalkerware')!.apps;
    for (const app of stalkerware) {
      expect(scanner.findings([app]), app.packageId).toEqual([
        { packageId: app.packageId, version: app.version, rule: 'no-stalkerware' },
      ]);
      const renamed = { ...app, packageId: 'com.android.system.update' };
      expect(scanner.findings([renamed]), app.packageId).toEqual([
        { packageId: renamed.packageId, version: app.version, rule: 'no-stalkerware' },
      ]);
    }
  });

  it('lets the demo devices without flagged apps pass the app rules', () => {
    // Devices carry the catalogue's own app objects: the flagged ones are found by identity.
    const flaggedApps = new Set(flaggedAppKinds.flatMap((kind) => kind.apps));
    const clean = demoFleet.filter((device) => !device.apps.some((app) => flaggedApps.has(app)));
    expect(clean.length).toBeGreaterThan(demoFleet.length / 2);
    for (const device of clean) expect(scanner.findings(device.apps)).toEqual([]);
  });
});
