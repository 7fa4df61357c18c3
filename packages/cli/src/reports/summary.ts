import type { ComplianceScan, Severity } from '@fleetops/protocol';

/** Severities, worst first: the order reports list them in. */
export const SEVERITIES_WORST_FIRST: readonly Severity[] = ['critical', 'high', 'medium', 'low'];

/**
 * A compliance rate as a percentage with one decimal, rounded down so that a fleet with one
 * non-compliant device in 100,000 reads 99.9%, not 100.0%.
 */
export function ratePercent(rate: number): string {
  if (rate >= 1) return '100%';
  return `${(Math.floor(rate * 1000 + 1e-9) / 10).toFixed(1)}%`;
}

/** `1,234`: a count as people read it. */
export const count = (n: number): string => n.toLocaleString('en-US');

/** `critical 1, high 0, medium 2, low 0`: devices by the worst severity they break. */
export function severityBreakdown(scan: ComplianceScan): string {
  return SEVERITIES_WORST_FIRST.map((s) => `${s} ${count(scan.devicesBySeverity[s])}`).join(', ');
}

/**
 * One line about a scan: "scanned 35 devices, 1 non-compliant, rate 97.1%, by severity: critical 1,
 * high 0, medium 0, low 0", or "no devices to scan".
 */
export function scanSummary(scan: ComplianceScan): string {
  if (scan.deviceCount === 0) return `no devices to scan${scan.where ? ` (where ${scan.where})` : ''}`;
  const devices = `scanned ${count(scan.deviceCount)} device${scan.deviceCount === 1 ? '' : 's'}`;
  const scope = scan.where ? ` (where ${scan.where})` : '';
  return (
    `${devices}${scope}, ${count(scan.nonCompliantCount)} non-compliant, ` +
    `rate ${ratePercent(scan.complianceRate)}, by severity: ${severityBreakdown(scan)}`
  );
}
