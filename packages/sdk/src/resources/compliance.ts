import {
  type ApplyRulesResult,
  adminRoutes,
  type ComplianceEvent,
  type ComplianceHistory,
  type ComplianceHistoryQuery,
  type ComplianceImpact,
  type ComplianceResult,
  type ComplianceRuleSet,
  ComplianceRulesDocument,
  type ComplianceRulesDocumentInput,
  type ComplianceScan,
  type RemediateRequest,
  type RemediationResult,
  type StartScanRequest,
} from '@fleetops/protocol';
import type { PagePromise } from '../core/pagination';
import { APIResource } from '../core/resource';
import type { RouteQuery } from '../core/route-types';
import type { RequestOptions } from '../core/transport';
import { path } from '../internal/path';

/** The query of `compliance.scans.list()`: `since`, `until` (when a scan started), `limit` and `cursor`. */
export type ComplianceScanListQuery = RouteQuery<typeof adminRoutes.listComplianceScans>;
/**
 * The filters of `compliance.results()`: `severity` (that one and worse), `rule`, `deviceId`,
 * plus `limit` and `cursor`.
 */
export type ComplianceResultsListQuery = RouteQuery<typeof adminRoutes.listComplianceResults>;
/** The filters of `compliance.events.list()`: `type`, `deviceId`, `rule`, `since`, plus `limit` and `cursor`. */
export type ComplianceEventListQuery = RouteQuery<typeof adminRoutes.listComplianceEvents>;

/** How `compliance.rules.apply()` applies a document. */
export interface ApplyRulesOptions {
  /** Refuse (`FleetConflictError`) unless the stored rule set is still at this revision. */
  baseRevision?: number;
  /** Report what would change, change nothing. */
  dryRun?: boolean;
}

/** A problem `compliance.rules.validate()` found: the field path and what is wrong with it. */
export interface RulesValidationIssue {
  path: string;
  message: string;
}

/** A scan by its id, or the latest scan. */
export type ScanRef = string | 'latest';

/** The org's compliance rule set: one document, replaced as a whole. */
export class ComplianceRules extends APIResource {
  /** The stored rule set and its revision (0 and no rules before the first apply). */
  async get(options?: RequestOptions): Promise<ComplianceRuleSet> {
    return this._client.request(adminRoutes.getComplianceRules, { path: '/v1/compliance/rules' }, options);
  }

  /**
   * Replaces the rule set with `document`, all or nothing, as a new revision; `added`, `changed`
   * and `removed` name the rules, `warnings` what deserves a second look (a blocklist glob that
   * matches every app installed). With `baseRevision`, refused with `FleetConflictError` when
   * someone applied since; with `dryRun`, nothing is stored. A rule the server cannot use (a
   * `where` that does not parse, two rules of one name) is a `FleetBadRequestError` whose
   * `issues` name the field (`body.document.rules.2.where`). Needs an `admin` token.
   */
  async apply(
    document: ComplianceRulesDocumentInput,
    { baseRevision, dryRun }: ApplyRulesOptions = {},
    options?: RequestOptions,
  ): Promise<ApplyRulesResult> {
    return this._client.request(
      adminRoutes.applyComplianceRules,
      { path: '/v1/compliance/rules', body: { document, baseRevision, dryRun } },
      options,
    );
  }

  /**
   * Checks a rules document against the schema, without a server: one issue per problem, with
   * the field path (`rules.2.check.blockedApps.0.packageId`). The server's own checks (selectors
   * that parse, unique names) come with `apply`.
   */
  validate(document: unknown): RulesValidationIssue[] {
    const parsed = ComplianceRulesDocument.safeParse(document);
    return parsed.success
      ? []
      : parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
  }
}

/** Scans run so far: when, over which devices, and what each found. */
export class ComplianceScans extends APIResource {
  /** Scans, newest first; iterate the answer to walk every page. */
  list(query?: ComplianceScanListQuery, options?: RequestOptions): PagePromise<ComplianceScan> {
    return this._client.requestPage(
      adminRoutes.listComplianceScans,
      { path: '/v1/compliance/scans', query },
      options,
    );
  }

  /** One scan by id, or the latest with `'latest'`; `FleetNotFoundError` when there is none. */
  async get(id: ScanRef, options?: RequestOptions): Promise<ComplianceScan> {
    return this._client.request(
      adminRoutes.getComplianceScan,
      { path: path`/v1/compliance/scans/${id}` },
      options,
    );
  }
}

/** `device.noncompliant` and `device.compliant` events: when each device started or stopped breaking a rule. */
export class ComplianceEvents extends APIResource {
  /** Events, oldest first; iterate the answer to walk every page. */
  list(query?: ComplianceEventListQuery, options?: RequestOptions): PagePromise<ComplianceEvent> {
    return this._client.requestPage(
      adminRoutes.listComplianceEvents,
      { path: '/v1/compliance/events', query },
      options,
    );
  }
}

/**
 * Compliance: rules over installed apps and device state, scans of the fleet evaluated in the
 * database, their results and history, and remediation as ordinary jobs.
 *
 * ```ts
 * const scan = await client.compliance.scan({ where: 'group = finance' });
 * for await (const result of client.compliance.results(scan.id, { severity: 'high' }))
 *   console.log(result.serial, result.rule, result.evidence.apps?.map((app) => app.packageId));
 * ```
 */
export class Compliance extends APIResource {
  /** The org's rule set. Reading needs a `viewer` token, applying an `admin` one. */
  readonly rules: ComplianceRules = new ComplianceRules(this._client);
  /** Scans run so far. Needs a `viewer` token. */
  readonly scans: ComplianceScans = new ComplianceScans(this._client);
  /** When devices started and stopped breaking rules. Needs a `viewer` token. */
  readonly events: ComplianceEvents = new ComplianceEvents(this._client);

  /**
   * What `document` would flag on the live fleet if it were applied: devices that would become
   * non-compliant, per rule, and how many each escalation step would reach (`wouldLock`,
   * `wouldWipe`). Stores nothing. Needs a `viewer` token.
   */
  async impact(document: ComplianceRulesDocumentInput, options?: RequestOptions): Promise<ComplianceImpact> {
    return this._client.request(
      adminRoutes.complianceImpact,
      { path: '/v1/compliance/impact', body: { document } },
      options,
    );
  }

  /**
   * Evaluates the rules over the org's active devices (or those `where` selects) now, keeps the
   * results and returns the scan with its counts. An empty fleet gives a scan of 0 devices and a
   * compliance rate of 1. Needs an `operator` token.
   */
  async scan(request: StartScanRequest = {}, options?: RequestOptions): Promise<ComplianceScan> {
    return this._client.request(
      adminRoutes.startComplianceScan,
      { path: '/v1/compliance/scans', body: request },
      options,
    );
  }

  /**
   * The violations a scan found (default: the latest scan), worst first, each with its evidence
   * and the next escalation step; iterate the answer to walk every page.
   */
  results(
    scanId: ScanRef = 'latest',
    query?: ComplianceResultsListQuery,
    options?: RequestOptions,
  ): PagePromise<ComplianceResult> {
    return this._client.requestPage(
      adminRoutes.listComplianceResults,
      { path: path`/v1/compliance/scans/${scanId}/results`, query },
      options,
    );
  }

  /** Compliance rate over time: one point per scan of the whole fleet, oldest first. */
  async history(query: ComplianceHistoryQuery = {}, options?: RequestOptions): Promise<ComplianceHistory> {
    return this._client.request(
      adminRoutes.complianceHistory,
      { path: '/v1/compliance/history', query },
      options,
    );
  }

  /**
   * Turns the current violations past their grace period into jobs: for `rule` (or every rule
   * with an escalation ladder), the ladder's due step, or `action` for violations at least
   * `grace` old. One job per command, with the same guards as any job (`expectCount`,
   * `maxTargets`, approval threshold, destructive budget); a step already taken for a violation
   * is not taken again. With `dryRun`, the plan only (`jobId` null). Needs an `operator` token,
   * `admin` when the plan wipes or retires.
   */
  async remediate(request: RemediateRequest, options?: RequestOptions): Promise<RemediationResult> {
    return this._client.request(
      adminRoutes.remediateCompliance,
      { path: '/v1/compliance/remediate', body: request },
      options,
    );
  }
}
