import type { ComplianceRule, DeviceAppRules, DeviceAppScan } from '@fleetops/protocol';
import type { Db } from '../../store/db';
import { compileRules, compileScope, type EvaluationScope, type ExpectedPolicies } from './evaluate';
import { lockForCheckIn, recordTransitions, type Transitions } from './events';

/**
 * Evaluates the rules for one device that just checked in, with the same compiled SQL as a scan:
 * a violation it starts is recorded at once with its `device.noncompliant` event, one it ended
 * with `device.compliant` (source `check-in`). While a scan of the org runs, it waits for it and
 * then evaluates what the scan left.
 */
export function evaluateDevice(
  db: Db,
  input: { orgId: string; deviceId: string; rules: readonly ComplianceRule[]; expected: ExpectedPolicies },
): Promise<Transitions> {
  const scope: EvaluationScope = { orgId: input.orgId, deviceIds: [input.deviceId] };
  return db.transaction(async (tx) => {
    await lockForCheckIn(tx, input.orgId);
    return recordTransitions(tx, {
      db,
      orgId: input.orgId,
      source: 'check-in',
      found: (first) => compileRules(input.rules, scope, input.expected, first),
      scope: (first) => compileScope(scope, first),
    });
  });
}

/** The blocklist to send a device: unless its own scan was against this very one. */
export const appRulesFor = (
  appScan: Pick<DeviceAppScan, 'rulesHash'> | undefined,
  current: DeviceAppRules,
): DeviceAppRules | undefined => (appScan?.rulesHash === current.hash ? undefined : current);
