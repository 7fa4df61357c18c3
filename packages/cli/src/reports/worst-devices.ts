import { type ComplianceResult, SEVERITY_RANK, type Severity } from '@fleetops/protocol';

/** One device and every rule it breaks, worst first. */
export interface DeviceViolations {
  device: Pick<ComplianceResult, 'deviceId' | 'serial' | 'model' | 'os' | 'osVersion' | 'group' | 'mode'>;
  violations: ComplianceResult[];
  worst: Severity;
}

/** The devices worst off: the worst severity broken first, then the most rules broken, then by serial. */
export function worstDevices(
  results: Iterable<ComplianceResult>,
  limit: number,
): { devices: DeviceViolations[]; total: number } {
  const byDevice = new Map<string, DeviceViolations>();
  for (const result of results) {
    const known = byDevice.get(result.deviceId);
    if (!known) {
      byDevice.set(result.deviceId, { device: result, violations: [result], worst: result.severity });
      continue;
    }
    known.violations.push(result);
    if (SEVERITY_RANK[result.severity] > SEVERITY_RANK[known.worst]) known.worst = result.severity;
  }
  const ranked = [...byDevice.values()].sort(
    (a, b) =>
      SEVERITY_RANK[b.worst] - SEVERITY_RANK[a.worst] ||
      b.violations.length - a.violations.length ||
      (a.device.serial ?? a.device.deviceId).localeCompare(b.device.serial ?? b.device.deviceId),
  );
  for (const entry of ranked) {
    entry.violations.sort(
      (a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || a.rule.localeCompare(b.rule),
    );
  }
  return { devices: ranked.slice(0, limit), total: ranked.length };
}
