import type { ComplianceInventory, ComplianceRulesDocumentInput } from '@fleetops/protocol';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../errors';
import { evaluateInventory } from './offline';

const document = (rules: ComplianceRulesDocumentInput['rules']): ComplianceRulesDocumentInput => ({
  apiVersion: 'fleetops.dev/v1',
  kind: 'ComplianceRules',
  rules,
});

const RULES = document([
  { name: 'passcode', severity: 'medium', check: { passcodeSet: true } },
  {
    name: 'no-stalkerware',
    severity: 'critical',
    check: { blockedApps: [{ packageId: 'com.apspy.app', label: 'TheTruthSpy' }] },
  },
  { name: 'android-min', severity: 'high', where: 'os=android', check: { osVersion: { android: '13' } } },
  { name: 'recent', severity: 'low', check: { checkedInWithin: '14d' } },
  { name: 'policy', severity: 'low', check: { policyInSync: true } },
]);

const INVENTORY: ComplianceInventory = {
  devices: [
    {
      id: '0190a000-0000-7000-8000-0000000000b1',
      serial: 'B-1',
      os: 'android',
      osVersion: '12',
      passcodeSet: false,
      apps: [
        {
          packageId: 'com.apspy.app',
          name: 'System Service',
          version: '4.2',
          installer: null,
          certificate: null,
        },
      ],
    },
    {
      serial: 'A-1',
      os: 'android',
      osVersion: '14',
      passcodeSet: true,
      lastSeenAt: '2020-01-01T00:00:00.000Z',
      apps: [{ packageId: 'com.apspy.app', name: 'Spy', version: '1.0', installer: null, certificate: null }],
    },
    { serial: 'C-1', os: 'ios', osVersion: '12', passcodeSet: true, apps: [] },
  ],
};

describe('compliance test against recorded inventory', () => {
  it('finds the violations in a database of its own, worst first, then by serial and rule', async () => {
    const rows = await evaluateInventory(RULES, INVENTORY);
    expect(rows.map((row) => [row.severity, row.serial, row.rule])).toEqual([
      ['critical', 'A-1', 'no-stalkerware'],
      ['critical', 'B-1', 'no-stalkerware'],
      ['high', 'B-1', 'android-min'],
      ['medium', 'B-1', 'passcode'],
      ['low', 'A-1', 'recent'],
    ]);
    const b = rows.filter((row) => row.serial === 'B-1');
    expect(new Set(b.map((row) => row.deviceId))).toEqual(new Set(['0190a000-0000-7000-8000-0000000000b1']));
    expect(b[0]!.evidence).toEqual({
      apps: [
        {
          packageId: 'com.apspy.app',
          name: 'System Service',
          version: '4.2',
          certificate: null,
          label: 'TheTruthSpy',
        },
      ],
    });
    expect(rows.find((row) => row.rule === 'recent')!.evidence).toEqual({
      found: '2020-01-01T00:00:00.000Z',
      expected: '14d',
    });
  });

  it('gives an empty list for an inventory without devices', async () => {
    expect(await evaluateInventory(RULES, { devices: [] })).toEqual([]);
  });

  it('refuses rules whose where is not a selector, naming the rule and its place', async () => {
    const error = await evaluateInventory(
      document([{ name: 'odd', severity: 'low', where: 'os=', check: { notRooted: true } }]),
      INVENTORY,
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).message).toMatch(/^invalid rules\.0\.where: rule odd: /);
    expect((error as ApiError).details?.issues?.[0]?.path).toBe('rules.0.where');
  });

  it('refuses an inventory that names one device id twice', async () => {
    const [first] = INVENTORY.devices;
    await expect(
      evaluateInventory(RULES, { devices: [first!, { ...first!, serial: 'B-2' }] }),
    ).rejects.toThrow('inventory devices[1].id repeats devices[0].id (0190a000-0000-7000-8000-0000000000b1)');
  });
});
