import { z } from 'zod';
import { PageQuery, PlainText, Timestamp, Uuid } from './common';
import { CertificateDigest, InstalledApp, ManagementMode, Os } from './device';
import { POLICY_API_VERSION } from './policy';

/** The `kind` of a compliance rules document. */
export const RULES_KIND = 'ComplianceRules';

/** How bad a broken rule is, lowest first. */
export const Severity = z.enum(['low', 'medium', 'high', 'critical']);
export type Severity = z.infer<typeof Severity>;

/** The rank of each severity: `--fail-on high` fails on high and critical. */
export const SEVERITY_RANK: Readonly<Record<Severity, number>> = { low: 1, medium: 2, high: 3, critical: 4 };

/** What remediation does to a device still in violation: the command a job sends. */
export const RemediationAction = z.enum(['notify', 'lock', 'remove-app', 'wipe']);
export type RemediationAction = z.infer<typeof RemediationAction>;

/** A duration such as `0s`, `24h`, `3d` or `2w`: how long after a violation began. */
export const GraceDuration = z
  .string()
  .regex(/^(0|[1-9]\d{0,5})[smhdw]$/, 'a duration such as 0s, 24h, 3d or 2w');

/** A package id, or a glob where `*` stands for any characters (`com.spy.*`). */
export const PackageGlob = z
  .string()
  .regex(
    /^[A-Za-z0-9_.*]{1,255}$/,
    'a package id such as com.example.app, or a glob such as com.example.* (letters, digits, _ . *)',
  );

/** A version such as `13`, `17.4.1` or `2.23.1-beta`: compared number by number. */
export const VersionText = PlainText(64).refine((v) => /\d/.test(v), 'a version holds at least one number');

/**
 * Matches installed apps: by package (exact or glob), and optionally by signing certificate and
 * version bounds. An app matches when every given part does.
 */
export const AppMatcher = z
  .strictObject({
    packageId: PackageGlob.optional(),
    certificate: CertificateDigest.optional().describe('Signing-certificate digest the app must have'),
    versionAtLeast: VersionText.optional().describe('Only versions at or above this one'),
    versionBelow: VersionText.optional().describe('Only versions below this one'),
    label: PlainText(120).optional().describe('What the entry is, e.g. the app behind a package id'),
  })
  .refine((m) => m.packageId !== undefined || m.certificate !== undefined, {
    message: 'an app matcher needs packageId, certificate or both',
  })
  .meta({ id: 'AppMatcher' });
export type AppMatcher = z.infer<typeof AppMatcher>;
export type AppMatcherInput = z.input<typeof AppMatcher>;

/** A required app: installed, and at least at this version when one is given. */
export const RequiredApp = z
  .strictObject({
    packageId: z.string().regex(/^[A-Za-z0-9_.]{1,255}$/, 'a package id such as com.example.app (no glob)'),
    minVersion: VersionText.optional(),
    label: PlainText(120).optional(),
  })
  .meta({ id: 'RequiredApp' });
export type RequiredApp = z.infer<typeof RequiredApp>;

/** What a rule checks: exactly one of these keys. */
export const RuleCheck = z
  .union([
    z.strictObject({
      blockedApps: z
        .array(AppMatcher)
        .min(1)
        .max(5000)
        .describe('Any installed app matching one breaks the rule'),
    }),
    z.strictObject({
      allowedApps: z
        .array(AppMatcher)
        .min(1)
        .max(5000)
        .describe('Any installed app matching none breaks the rule'),
    }),
    z.strictObject({
      requiredApps: z
        .array(RequiredApp)
        .min(1)
        .max(500)
        .describe('Each must be installed, at its minimum version'),
    }),
    z.strictObject({
      osVersion: z
        .strictObject({ android: VersionText.optional(), ios: VersionText.optional() })
        .refine((v) => v.android !== undefined || v.ios !== undefined, 'give android, ios or both')
        .describe('Minimum OS version per platform; a platform not named is not checked'),
    }),
    z.strictObject({ passcodeSet: z.literal(true).describe('A screen lock passcode is set') }),
    z.strictObject({ storageEncrypted: z.literal(true).describe('Storage is encrypted') }),
    z.strictObject({ notRooted: z.literal(true).describe('Not rooted (Android) or jailbroken (iOS)') }),
    z.strictObject({
      checkedInWithin: z
        .string()
        .regex(/^[1-9]\d{0,5}[smhdw]$/, 'a duration such as 12h, 14d or 2w')
        .describe('Last check-in no older than this'),
    }),
    z.strictObject({
      policyInSync: z
        .literal(true)
        .describe('The device runs the policy its group should have, without failures'),
    }),
  ])
  .meta({ id: 'RuleCheck' });
export type RuleCheck = z.infer<typeof RuleCheck>;

/** The names of the checks, as a rule spells them. */
export const CHECK_KINDS = [
  'blockedApps',
  'allowedApps',
  'requiredApps',
  'osVersion',
  'passcodeSet',
  'storageEncrypted',
  'notRooted',
  'checkedInWithin',
  'policyInSync',
] as const;
export type CheckKind = (typeof CHECK_KINDS)[number];

/** One step of a rule's escalation ladder: this action once the violation is this old. */
export const EscalationStep = z
  .strictObject({
    action: RemediationAction,
    after: GraceDuration.default('0s').describe('How long after the violation began (0s: at once)'),
  })
  .meta({ id: 'EscalationStep' });
export type EscalationStep = z.infer<typeof EscalationStep>;

export const RuleName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'rule names are lowercase letters, digits and -, at most 63');

/** One compliance rule: what it checks, on which devices, how bad, and what to do about it. */
export const ComplianceRule = z
  .strictObject({
    name: RuleName,
    description: PlainText(500).optional(),
    severity: Severity,
    where: z
      .string()
      .max(2000)
      .optional()
      .describe('Device selector (docs/selectors.md): the rule applies only there'),
    check: RuleCheck,
    escalation: z
      .array(EscalationStep)
      .max(5)
      .optional()
      .describe('Actions for devices still in violation, each after its delay; wipe becomes retire on BYOD'),
  })
  .meta({ id: 'ComplianceRule' });
export type ComplianceRule = z.infer<typeof ComplianceRule>;
export type ComplianceRuleInput = z.input<typeof ComplianceRule>;

/** A rules file: the org's whole rule set, applied as one. */
export const ComplianceRulesDocument = z
  .strictObject({
    apiVersion: z.literal(POLICY_API_VERSION),
    kind: z.literal(RULES_KIND),
    rules: z.array(ComplianceRule).max(500),
  })
  .meta({ id: 'ComplianceRulesDocument' });
export type ComplianceRulesDocument = z.infer<typeof ComplianceRulesDocument>;
export type ComplianceRulesDocumentInput = z.input<typeof ComplianceRulesDocument>;

/** The org's rule set as stored. */
export const ComplianceRuleSet = z
  .object({
    revision: z.number().int().nonnegative().describe('0 before the first apply'),
    rules: z.array(ComplianceRule),
    updatedAt: Timestamp.nullable(),
  })
  .meta({ id: 'ComplianceRuleSet' });
export type ComplianceRuleSet = z.infer<typeof ComplianceRuleSet>;

export const ApplyRulesRequest = z.strictObject({
  document: ComplianceRulesDocument,
  baseRevision: z
    .number()
    .int()
    .nonnegative()
    .optional()
    .describe('Refuse (409) unless the stored set is still at this revision'),
  dryRun: z.boolean().default(false).describe('Report what would change, change nothing'),
});
export type ApplyRulesRequest = z.input<typeof ApplyRulesRequest>;

export const ApplyRulesResult = z
  .object({
    revision: z.number().int(),
    added: z.array(RuleName),
    changed: z.array(RuleName),
    removed: z.array(RuleName),
    unchanged: z.array(RuleName),
    warnings: z.array(z.string()).describe('e.g. a blocklist glob that matches every app installed'),
    dryRun: z.boolean(),
  })
  .meta({ id: 'ApplyRulesResult' });
export type ApplyRulesResult = z.infer<typeof ApplyRulesResult>;

/** Why a device breaks a rule: the offending apps, or the state found. */
export const ViolationEvidence = z
  .object({
    apps: z
      .array(
        InstalledApp.pick({ packageId: true, name: true, version: true }).extend({
          certificate: z.string().nullable(),
          label: z.string().nullable().describe('The matcher label, e.g. the stalkerware family'),
        }),
      )
      .optional()
      .describe('Installed apps that break a blockedApps or allowedApps rule'),
    missing: z
      .array(
        z.object({
          packageId: z.string(),
          minVersion: z.string().nullable(),
          installedVersion: z.string().nullable(),
        }),
      )
      .optional()
      .describe('Required apps missing, or below their minimum version'),
    found: z
      .string()
      .nullable()
      .optional()
      .describe('The value found: an OS version, a last check-in time, a policy hash'),
    expected: z.string().nullable().optional(),
  })
  .meta({ id: 'ViolationEvidence' });
export type ViolationEvidence = z.infer<typeof ViolationEvidence>;

/** The next step of a rule's escalation ladder for one device, and when it is due. */
export const NextStep = z
  .object({ action: RemediationAction, dueAt: Timestamp, byodRetire: z.boolean() })
  .meta({ id: 'NextStep' });
export type NextStep = z.infer<typeof NextStep>;

/** One device breaking one rule, as a scan found it. */
export const ComplianceResult = z
  .object({
    scanId: Uuid,
    deviceId: Uuid,
    serial: z.string().nullable(),
    model: z.string().nullable(),
    os: Os.nullable(),
    osVersion: z.string().nullable(),
    group: z.string(),
    mode: ManagementMode,
    rule: RuleName,
    severity: Severity,
    evidence: ViolationEvidence,
    since: Timestamp.describe('When the device was first found breaking the rule, without a break since'),
    nextStep: NextStep.nullable(),
  })
  .meta({ id: 'ComplianceResult' });
export type ComplianceResult = z.infer<typeof ComplianceResult>;

export const SeverityCounts = z
  .object({
    low: z.number().int(),
    medium: z.number().int(),
    high: z.number().int(),
    critical: z.number().int(),
  })
  .meta({ id: 'SeverityCounts' });
export type SeverityCounts = z.infer<typeof SeverityCounts>;

/** A scan: when, over which devices, and what it found. */
export const ComplianceScan = z
  .object({
    id: Uuid,
    startedAt: Timestamp,
    finishedAt: Timestamp,
    where: z.string().nullable(),
    rulesRevision: z.number().int(),
    deviceCount: z.number().int().describe('Active devices scanned'),
    nonCompliantCount: z.number().int().describe('Devices breaking at least one rule'),
    complianceRate: z.number().min(0).max(1).describe('Compliant devices / devices; 1 for an empty fleet'),
    violationCount: z.number().int().describe('Device and rule pairs broken'),
    devicesBySeverity: SeverityCounts.describe('Devices by the worst severity they break'),
    byRule: z.array(
      z.object({
        rule: RuleName,
        severity: Severity,
        devices: z.number().int(),
        newDevices: z.number().int(),
      }),
    ),
    byGroup: z.array(
      z.object({ group: z.string(), devices: z.number().int(), nonCompliant: z.number().int() }),
    ),
  })
  .meta({ id: 'ComplianceScan' });
export type ComplianceScan = z.infer<typeof ComplianceScan>;

export const StartScanRequest = z.strictObject({
  where: z.string().max(2000).optional().describe('Scan only these devices (docs/selectors.md)'),
});
export type StartScanRequest = z.input<typeof StartScanRequest>;

export const ScanIdParams = z.object({
  id: z.union([Uuid, z.literal('latest')]).describe('A scan id, or `latest`'),
});

export const ComplianceResultsQuery = PageQuery.extend({
  severity: Severity.optional().describe('Only results at or above this severity'),
  rule: RuleName.optional(),
  deviceId: Uuid.optional(),
});
export type ComplianceResultsQuery = z.input<typeof ComplianceResultsQuery>;

export const ScanListQuery = PageQuery.extend({
  since: Timestamp.optional(),
  until: Timestamp.optional(),
});
export type ScanListQuery = z.input<typeof ScanListQuery>;

/** Compliance over time: one point per scan of the whole fleet (no `where`). */
export const ComplianceHistoryQuery = z.object({
  since: Timestamp.optional(),
  until: Timestamp.optional(),
});
export type ComplianceHistoryQuery = z.input<typeof ComplianceHistoryQuery>;

export const ComplianceHistoryPoint = z
  .object({
    scanId: Uuid,
    at: Timestamp,
    deviceCount: z.number().int(),
    nonCompliantCount: z.number().int(),
    complianceRate: z.number(),
    devicesBySeverity: SeverityCounts,
  })
  .meta({ id: 'ComplianceHistoryPoint' });
export type ComplianceHistoryPoint = z.infer<typeof ComplianceHistoryPoint>;

export const ComplianceHistory = z
  .object({ points: z.array(ComplianceHistoryPoint) })
  .meta({ id: 'ComplianceHistory' });
export type ComplianceHistory = z.infer<typeof ComplianceHistory>;

/** `device.noncompliant` when a device starts breaking a rule, `device.compliant` when it stops. */
export const ComplianceEventType = z.enum(['device.noncompliant', 'device.compliant']);
export type ComplianceEventType = z.infer<typeof ComplianceEventType>;

export const ComplianceEvent = z
  .object({
    id: z.string().describe('Increasing: a later event has a higher id'),
    type: ComplianceEventType,
    at: Timestamp,
    deviceId: Uuid,
    rule: RuleName,
    severity: Severity,
    source: z
      .enum(['scan', 'check-in'])
      .describe('A fleet scan, or the rules evaluated at the device check-in'),
    evidence: ViolationEvidence,
  })
  .meta({ id: 'ComplianceEvent' });
export type ComplianceEvent = z.infer<typeof ComplianceEvent>;

export const ComplianceEventQuery = PageQuery.extend({
  type: ComplianceEventType.optional(),
  deviceId: Uuid.optional(),
  rule: RuleName.optional(),
  since: Timestamp.optional(),
});
export type ComplianceEventQuery = z.input<typeof ComplianceEventQuery>;

/** What a rules document would do to the live fleet, before it is applied. */
export const ImpactRequest = z.strictObject({ document: ComplianceRulesDocument });
export type ImpactRequest = z.input<typeof ImpactRequest>;

export const ComplianceImpact = z
  .object({
    deviceCount: z.number().int(),
    nonCompliantNow: z.number().int().describe('Devices breaking the stored rules now'),
    nonCompliantAfter: z.number().int().describe('Devices that would break the given rules'),
    becomeNonCompliant: z.number().int().describe('Devices compliant now that the given rules would flag'),
    byRule: z.array(
      z.object({
        rule: RuleName,
        severity: Severity,
        devices: z.number().int(),
        newDevices: z.number().int().describe('Of them, devices not breaking this rule now'),
        actions: z
          .array(z.object({ action: RemediationAction, after: GraceDuration, devices: z.number().int() }))
          .describe('Devices each escalation step would reach if nothing is fixed'),
      }),
    ),
    wouldLock: z.number().int().describe('Devices an escalation step would lock'),
    wouldWipe: z.number().int().describe('Devices an escalation step would wipe (or retire, BYOD)'),
  })
  .meta({ id: 'ComplianceImpact' });
export type ComplianceImpact = z.infer<typeof ComplianceImpact>;

/** Turns violations of the latest scan into jobs. */
export const RemediateRequest = z.strictObject({
  rule: RuleName.optional().describe('Only this rule; every rule with an escalation ladder otherwise'),
  action: RemediationAction.optional().describe("This action instead of the ladder's due step (needs rule)"),
  grace: GraceDuration.optional().describe('With action: only violations at least this old'),
  where: z.string().max(2000).optional().describe('Only these devices'),
  dryRun: z.boolean().default(false),
  reason: PlainText(500).optional(),
  expectCount: z
    .number()
    .int()
    .min(0)
    .optional()
    .describe('Refuse unless exactly this many devices would be acted on'),
  maxTargets: z.number().int().min(1).optional().describe('Refuse when more devices would be acted on'),
});
export type RemediateRequest = z.input<typeof RemediateRequest>;

export const RemediationPlanItem = z.object({
  rule: RuleName,
  action: RemediationAction,
  command: z.string().describe('The command sent: wipe becomes retire on BYOD devices'),
  packageId: z.string().nullable().describe('For remove-app: the app removed'),
  deviceIds: z.array(Uuid),
  jobId: Uuid.nullable().describe('The job created; null on a dry run'),
});

export const RemediationResult = z
  .object({
    dryRun: z.boolean(),
    scanId: Uuid.nullable().describe('The scan whose violations were used; null when no scan was run yet'),
    items: z.array(RemediationPlanItem),
    deviceCount: z.number().int().describe('Devices acted on (or that would be)'),
    alreadyRemediated: z.number().int().describe('Violations skipped: a job already took this step for them'),
    inGrace: z.number().int().describe('Violations skipped: not old enough yet'),
  })
  .meta({ id: 'RemediationResult' });
export type RemediationResult = z.infer<typeof RemediationResult>;

/** The blocklist a device scans its apps against (at login and at check-in), with its hash. */
export const DeviceAppRules = z
  .object({
    hash: z.string(),
    blockedApps: z.array(AppMatcher.safeExtend({ rule: RuleName, severity: Severity })),
  })
  .meta({ id: 'DeviceAppRules' });
export type DeviceAppRules = z.infer<typeof DeviceAppRules>;

/** What the device's own scan of its installed apps found, sent at check-in. */
export const DeviceAppScan = z
  .object({
    rulesHash: z.string().max(128).describe('The DeviceAppRules hash the device scanned against'),
    scannedAt: Timestamp,
    trigger: z.enum(['login', 'check-in', 'install']),
    findings: z
      .array(z.object({ packageId: PlainText(255), version: PlainText(64), rule: RuleName }))
      .max(1000),
  })
  .meta({ id: 'DeviceAppScan' });
export type DeviceAppScan = z.infer<typeof DeviceAppScan>;
export type DeviceAppScanInput = z.input<typeof DeviceAppScan>;

/** Recorded device inventory, for `compliance test` offline. */
export const InventoryDevice = z.object({
  id: Uuid.optional(),
  serial: PlainText(64),
  group: z.string().default('default'),
  mode: ManagementMode.default('COPE'),
  os: Os,
  osVersion: PlainText(32),
  passcodeSet: z.boolean().nullable().default(null),
  storageEncrypted: z.boolean().nullable().default(null),
  rooted: z.boolean().nullable().default(null),
  lastSeenAt: Timestamp.optional(),
  apps: z.array(InstalledApp).default([]),
});
export type InventoryDevice = z.input<typeof InventoryDevice>;

export const ComplianceInventory = z
  .object({ devices: z.array(InventoryDevice).max(100_000) })
  .meta({ id: 'ComplianceInventory' });
export type ComplianceInventory = z.input<typeof ComplianceInventory>;
