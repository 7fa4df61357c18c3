import type { ComplianceResult } from '@fleetops/protocol';
import type { Column } from '../../output/view';
import { evidenceLines, evidenceSummary } from '../../reports/evidence';
import { nextStepText, stepAction } from '../../reports/next-step';

/** A violation per line, for people: the device, the rule, why, and what happens next ("locks in 2 days"). */
export const scanTableColumns: Column<ComplianceResult>[] = [
  { key: 'serial', header: 'SERIAL', value: (r) => r.serial },
  { key: 'deviceId', header: 'DEVICE', value: (r) => r.deviceId },
  { key: 'group', header: 'GROUP', value: (r) => r.group },
  { key: 'rule', header: 'RULE', value: (r) => r.rule },
  { key: 'severity', header: 'SEVERITY', value: (r) => r.severity },
  { key: 'evidence', header: 'EVIDENCE', value: (r) => evidenceSummary(r.evidence) },
  { key: 'nextStep', header: 'NEXT STEP', value: (r, c) => nextStepText(r.nextStep, c.now) },
];

/** A violation per row, for spreadsheets: every piece of evidence, and the next step as action and time. */
export const scanCsvColumns: Column<ComplianceResult>[] = [
  { key: 'deviceId', header: 'DEVICE', value: (r) => r.deviceId },
  { key: 'serial', header: 'SERIAL', value: (r) => r.serial },
  { key: 'model', header: 'MODEL', value: (r) => r.model },
  { key: 'os', header: 'OS', value: (r) => r.os },
  { key: 'osVersion', header: 'OS VERSION', value: (r) => r.osVersion },
  { key: 'group', header: 'GROUP', value: (r) => r.group },
  { key: 'mode', header: 'MODE', value: (r) => r.mode },
  { key: 'rule', header: 'RULE', value: (r) => r.rule },
  { key: 'severity', header: 'SEVERITY', value: (r) => r.severity },
  { key: 'evidence', header: 'EVIDENCE', value: (r) => evidenceLines(r.evidence).join('; ') },
  { key: 'since', header: 'SINCE', value: (r) => r.since },
  { key: 'nextAction', header: 'NEXT ACTION', value: (r) => (r.nextStep ? stepAction(r.nextStep) : null) },
  { key: 'nextDueAt', header: 'NEXT DUE', value: (r) => r.nextStep?.dueAt },
  { key: 'scanId', header: 'SCAN', value: (r) => r.scanId },
];
