import type {
  ApplyRulesRequest,
  ApplyRulesResult,
  CommandType,
  ComplianceEvent,
  ComplianceEventQuery,
  ComplianceHistory,
  ComplianceHistoryQuery,
  ComplianceImpact,
  ComplianceResult,
  ComplianceResultsQuery,
  ComplianceRule,
  ComplianceRuleSet,
  ComplianceRulesDocument,
  ComplianceScan,
  DeviceAppRules,
  DeviceAppScan,
  PageOf,
  RemediateRequest,
  RemediationResult,
  ScanListQuery,
  StartScanRequest,
} from '@fleetops/protocol';
import type { z } from 'zod';
import type { Db } from '../../store/db';
import type { JobActor, JobsRepository } from '../jobs';
import type { DevicePolicies } from '../policies/device-policies';
import { createDeviceAppRules } from './blocklist';
import { appRulesFor, evaluateDevice } from './checkin';
import { type ExpectedPolicies, NO_EXPECTED_POLICIES, planWithoutJit } from './evaluate';
import { listEvents } from './events';
import { complianceHistory } from './history';
import { impactOf } from './impact';
import { remediate } from './remediate';
import { assertValidRules, createComplianceRuleSets } from './rule-set';
import { listResults, listScans, readScan, runScan, toScan } from './scans';

/** The device a check-in came from. */
export interface CheckingInDevice {
  id: string;
  orgId: string;
}

/**
 * Compliance of an org's fleet: its rule set, scans evaluated set-based in the store with their
 * results and history, the events of violations that begin and end, what a rules document would
 * do, and remediation through the jobs service.
 */
export function createComplianceService(
  db: Db,
  deps: { jobs: JobsRepository; devicePolicies: DevicePolicies },
) {
  const ruleSets = createComplianceRuleSets(db, deps.devicePolicies);
  const deviceAppRules = createDeviceAppRules(ruleSets);

  /** Policy hashes are only worked out when a rule compares against them. */
  const expectedFor = (orgId: string, rules: readonly ComplianceRule[]): Promise<ExpectedPolicies> =>
    rules.some((rule) => 'policyInSync' in rule.check)
      ? ruleSets.expectedPolicies(orgId)
      : Promise.resolve(NO_EXPECTED_POLICIES);

  return {
    /** The org's rule set; revision 0 before the first apply. */
    rules: (orgId: string): Promise<ComplianceRuleSet> => ruleSets.get(orgId),

    /** Replaces the rule set with a rules document, all or nothing. */
    apply: (orgId: string, request: z.output<typeof ApplyRulesRequest>): Promise<ApplyRulesResult> =>
      ruleSets.apply(orgId, request),

    /** What a rules document would flag and do on the live fleet, stored nowhere. */
    async impact(orgId: string, document: ComplianceRulesDocument): Promise<ComplianceImpact> {
      assertValidRules(document.rules);
      const expected = await expectedFor(orgId, document.rules);
      return db.transaction(async (tx) => {
        await planWithoutJit(tx);
        return impactOf(tx, { orgId, rules: document.rules, expected });
      });
    },

    /** Scans the org's active devices (those matching `where`) now, in one transaction. */
    async scan(orgId: string, request: z.output<typeof StartScanRequest>): Promise<ComplianceScan> {
      const set = await ruleSets.get(orgId);
      const expected = await expectedFor(orgId, set.rules);
      return db.transaction((tx) =>
        runScan(tx, db, {
          orgId,
          where: request.where,
          rules: { revision: set.revision, rules: set.rules, expected },
        }),
      );
    },

    /** The org's scans, newest first. */
    scans: (orgId: string, query: z.output<typeof ScanListQuery>): Promise<PageOf<ComplianceScan>> =>
      listScans(db, orgId, query),

    /** One scan, or the latest for `latest`. */
    getScan: async (orgId: string, id: string): Promise<ComplianceScan> =>
      toScan(await readScan(db, orgId, id)),

    /** A scan's violations, worst first, with the next escalation step of each as it stands now. */
    async results(
      orgId: string,
      scanId: string,
      query: z.output<typeof ComplianceResultsQuery>,
    ): Promise<PageOf<ComplianceResult>> {
      return listResults(db, orgId, scanId, query, (await ruleSets.get(orgId)).rules);
    },

    /** Compliance rate over time, one point per whole-fleet scan. */
    history: (orgId: string, query: z.output<typeof ComplianceHistoryQuery>): Promise<ComplianceHistory> =>
      complianceHistory(db, orgId, query),

    /** device.noncompliant and device.compliant events, oldest first. */
    events: (orgId: string, query: z.output<typeof ComplianceEventQuery>): Promise<PageOf<ComplianceEvent>> =>
      listEvents(db, orgId, query),

    /**
     * Turns standing violations into jobs, in one transaction with the record of the steps taken;
     * `authorize` refuses a command the caller may not send (wipe and retire need an admin).
     */
    async remediate(
      orgId: string,
      actor: JobActor,
      request: z.output<typeof RemediateRequest>,
      authorize: (command: CommandType) => void,
    ): Promise<RemediationResult> {
      const { rules } = await ruleSets.get(orgId);
      return db.transaction((tx) =>
        remediate(tx, { orgId, actor, request, rules, jobs: deps.jobs, authorize }),
      );
    },

    /**
     * After a check-in was stored: evaluates the device's rules (a failure goes to
     * `onEvaluationError` and never fails the check-in) and returns the blocklist to send it,
     * unless its own app scan was against the current one.
     */
    async checkIn(
      device: CheckingInDevice,
      appScan: Pick<DeviceAppScan, 'rulesHash'> | undefined,
      onEvaluationError: (error: unknown) => void,
    ): Promise<DeviceAppRules | undefined> {
      try {
        const { rules } = await ruleSets.get(device.orgId);
        await evaluateDevice(db, {
          orgId: device.orgId,
          deviceId: device.id,
          rules,
          expected: await expectedFor(device.orgId, rules),
        });
      } catch (error) {
        onEvaluationError(error);
      }
      return appRulesFor(appScan, await deviceAppRules.forOrg(device.orgId));
    },
  };
}
export type ComplianceService = ReturnType<typeof createComplianceService>;
