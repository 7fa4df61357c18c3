import {
  ComplianceHistory,
  ComplianceResult,
  ComplianceScan,
  type ComplianceResult as Result,
} from '@fleetops/protocol';

/** The time the fixtures are seen at: next steps are due relative to it. */
export const NOW = new Date('2026-03-10T12:00:00.000Z');

const hoursFromNow = (hours: number) => new Date(NOW.getTime() + hours * 3_600_000).toISOString();

export const SCAN_ID = '5f0c8a9e-1b2c-4d3e-8f40-a1b2c3d4e5f6';

/** A scan of 35 devices: 3 break rules, one rule is broken by nobody. */
export const scan: ComplianceScan = ComplianceScan.parse({
  id: SCAN_ID,
  startedAt: '2026-03-10T11:59:58.000Z',
  finishedAt: '2026-03-10T11:59:59.250Z',
  where: null,
  rulesRevision: 4,
  deviceCount: 35,
  nonCompliantCount: 3,
  complianceRate: 32 / 35,
  violationCount: 4,
  devicesBySeverity: { critical: 1, high: 1, medium: 1, low: 0 },
  byRule: [
    { rule: 'no-stalkerware', severity: 'critical', devices: 1, newDevices: 1 },
    { rule: 'os-minimum', severity: 'high', devices: 2, newDevices: 0 },
    { rule: 'passcode-set', severity: 'medium', devices: 1, newDevices: 1 },
    { rule: 'storage-encrypted', severity: 'low', devices: 0, newDevices: 0 },
  ],
  byGroup: [
    { group: 'finance', devices: 10, nonCompliant: 2 },
    { group: 'sales', devices: 25, nonCompliant: 1 },
  ],
});

/** The scan of an empty fleet. */
export const emptyScan: ComplianceScan = ComplianceScan.parse({
  ...scan,
  deviceCount: 0,
  nonCompliantCount: 0,
  complianceRate: 1,
  violationCount: 0,
  devicesBySeverity: { critical: 0, high: 0, medium: 0, low: 0 },
  byRule: [],
  byGroup: [],
});

const device = (n: number) => ({
  scanId: SCAN_ID,
  deviceId: `0000000${n}-aaaa-4bbb-8ccc-dddddddddddd`,
  serial: `SER00000${n}`,
  model: 'Pixel 8',
  os: 'android',
  osVersion: '14',
  group: 'finance',
  mode: 'COPE',
  since: '2026-03-09T12:00:00.000Z',
});

/** One result of each kind of evidence, worst first as the server lists them. */
export const results: Result[] = [
  {
    ...device(1),
    rule: 'no-stalkerware',
    severity: 'critical',
    evidence: {
      apps: [
        {
          packageId: 'com.mspy.lite',
          name: 'Update Service',
          version: '6.0.9',
          certificate: 'AB12CD34',
          label: 'mSpy',
        },
      ],
    },
    nextStep: { action: 'lock', dueAt: hoursFromNow(48), byodRetire: false },
  },
  {
    ...device(1),
    rule: 'os-minimum',
    severity: 'high',
    evidence: { found: '14', expected: '15' },
    nextStep: null,
  },
  {
    ...device(2),
    mode: 'BYOD',
    serial: 'SER<b>&"2"',
    model: 'Galaxy \u0007S24',
    group: 'sales',
    rule: 'os-minimum',
    severity: 'high',
    evidence: { found: '13', expected: '15' },
    nextStep: { action: 'wipe', dueAt: hoursFromNow(5), byodRetire: true },
  },
  {
    ...device(3),
    rule: 'passcode-set',
    severity: 'medium',
    evidence: { found: 'not reported', expected: 'true' },
    nextStep: { action: 'lock', dueAt: hoursFromNow(-1), byodRetire: false },
  },
].map((r) => ComplianceResult.parse(r));

/** Compliance over a week: one point a day, getting better. */
export const history = ComplianceHistory.parse({
  points: [0.8, 0.82, 0.85, 0.84, 0.88, 0.9, 32 / 35].map((rate, day) => ({
    scanId: SCAN_ID,
    at: new Date(NOW.getTime() - (6 - day) * 86_400_000).toISOString(),
    deviceCount: 35,
    nonCompliantCount: Math.round(35 * (1 - rate)),
    complianceRate: rate,
    devicesBySeverity: { critical: 1, high: 1, medium: 1, low: 0 },
  })),
});
