import type { ComplianceResult, ComplianceScan, Severity } from '@fleetops/protocol';
import { evidenceLines, evidenceSummary } from './evidence';
import { attributes, escapeMarkup } from './markup';
import { nextStepText, stepAction } from './next-step';

/**
 * A scan as JUnit XML, for CI systems (GitLab, Jenkins…): one `<testsuite>` per rule and one
 * failing `<testcase>` per device breaking it, whose `<failure>` gives the severity and the
 * evidence.
 *
 * A scan keeps the devices that break rules, not the ones that pass, so passing devices are
 * counted rather than listed: each suite's `tests` is the number of devices scanned and
 * `failures` the number breaking its rule (a rule whose own `where` covers fewer devices still
 * counts every scanned device). The root element adds them up.
 */
export function junitReport(scan: ComplianceScan, results: Iterable<ComplianceResult>, now: Date): string {
  const suites = suitesOf(scan, results);
  const failures = [...suites.values()].reduce((n, suite) => n + suite.results.length, 0);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${attributes({
      name: 'fleetops compliance scan',
      tests: scan.deviceCount * suites.size,
      failures,
      errors: 0,
      time: seconds(scan),
      timestamp: scan.startedAt,
    })}>`,
  ];
  for (const [rule, suite] of suites) lines.push(...suiteLines(scan, rule, suite, now));
  lines.push('</testsuites>', '');
  return lines.join('\n');
}

interface Suite {
  severity: Severity;
  results: ComplianceResult[];
}

/** The rules of the scan in its order (rules nobody breaks included), each with its failing devices. */
function suitesOf(scan: ComplianceScan, results: Iterable<ComplianceResult>): Map<string, Suite> {
  const suites = new Map<string, Suite>(
    scan.byRule.map((r) => [r.rule, { severity: r.severity, results: [] }]),
  );
  for (const result of results) {
    const suite = suites.get(result.rule) ?? { severity: result.severity, results: [] };
    suite.results.push(result);
    suites.set(result.rule, suite);
  }
  return suites;
}

function suiteLines(scan: ComplianceScan, rule: string, suite: Suite, now: Date): string[] {
  const lines = [
    `  <testsuite${attributes({
      name: rule,
      tests: scan.deviceCount,
      failures: suite.results.length,
      errors: 0,
      skipped: 0,
      time: 0,
      timestamp: scan.startedAt,
    })}>`,
    '    <properties>',
    `      <property${attributes({ name: 'severity', value: suite.severity })}/>`,
    `      <property${attributes({ name: 'scan', value: scan.id })}/>`,
    `      <property${attributes({ name: 'rulesRevision', value: scan.rulesRevision })}/>`,
    ...(scan.where ? [`      <property${attributes({ name: 'where', value: scan.where })}/>`] : []),
    '    </properties>',
  ];
  for (const result of suite.results) lines.push(...testcaseLines(result, now));
  lines.push('  </testsuite>');
  return lines;
}

function testcaseLines(result: ComplianceResult, now: Date): string[] {
  const summary = evidenceSummary(result.evidence);
  const details = [
    `device ${result.deviceId}${result.serial ? ` serial ${result.serial}` : ''}`,
    `model ${result.model ?? 'unknown'}, ${result.os ?? 'unknown OS'} ${result.osVersion ?? ''}`.trimEnd(),
    `group ${result.group}, ${result.mode}`,
    `severity ${result.severity}, since ${result.since}`,
    ...evidenceLines(result.evidence),
    ...(result.nextStep
      ? [
          `next step: ${nextStepText(result.nextStep, now)} (${stepAction(result.nextStep)} due ${result.nextStep.dueAt})`,
        ]
      : []),
  ];
  return [
    `    <testcase${attributes({ classname: `compliance.${result.rule}`, name: deviceName(result), time: 0 })}>`,
    `      <failure${attributes({
      message: `${result.severity}: ${summary || result.rule}`,
      type: result.severity,
    })}>${escapeMarkup(details.join('\n'))}</failure>`,
    '    </testcase>',
  ];
}

/** `SER000123 (uuid)`: the serial people look for, and the id that is unique. */
const deviceName = (result: ComplianceResult): string =>
  result.serial ? `${result.serial} (${result.deviceId})` : result.deviceId;

/** How long the scan took, in seconds, as JUnit's `time` gives it. */
function seconds(scan: ComplianceScan): string {
  const ms = Math.max(0, Date.parse(scan.finishedAt) - Date.parse(scan.startedAt));
  return (ms / 1000).toFixed(3);
}
