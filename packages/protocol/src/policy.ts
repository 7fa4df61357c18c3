import { z } from 'zod';
import { GroupName, PageQuery, PlainText, Timestamp, Uuid } from './common';

/** The `apiVersion` of a policy document this server reads. */
export const POLICY_API_VERSION = 'fleetops.dev/v1';

export const PolicyName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'policy names are lowercase letters, digits and -, at most 63');

/** A duration such as `15m`, `24h`, `30d`, `2w` (see `parseDuration`). */
const Duration = z.string().regex(/^[1-9]\d{0,5}[smhdw]$/, 'a duration such as 15m, 24h, 30d or 2w');

/** A package id, or a pattern with `*` standing for any characters (`com.example.*`). */
const PackagePattern = z
  .string()
  .regex(
    /^[A-Za-z0-9_.*]{1,255}$/,
    'a package id such as com.example.app, or a pattern such as com.example.*',
  );

/**
 * Device restrictions, named after the Android Management API `Policy` fields where one exists;
 * `nfcDisabled` has no such field.
 */
export const PolicyRestrictions = z
  .strictObject({
    cameraDisabled: z.boolean().optional(),
    bluetoothDisabled: z.boolean().optional(),
    wifiConfigDisabled: z.boolean().optional().describe('Users may not configure Wi-Fi networks'),
    outgoingCallsDisabled: z.boolean().optional(),
    smsDisabled: z.boolean().optional(),
    factoryResetDisabled: z.boolean().optional().describe('Factory reset from the device settings'),
    screenCaptureDisabled: z.boolean().optional().describe('Screenshots and screen recording'),
    nfcDisabled: z.boolean().optional(),
    usbFileTransferDisabled: z.boolean().optional(),
    mountPhysicalMediaDisabled: z.boolean().optional().describe('SD cards and USB storage'),
    installUnknownSourcesAllowed: z.boolean().optional().describe('Sideloading of apps'),
    locationMode: z
      .enum(['LOCATION_USER_CHOICE', 'LOCATION_ENFORCED', 'LOCATION_DISABLED'])
      .optional()
      .describe('LOCATION_ENFORCED keeps location on (force GPS)'),
  })
  .meta({ id: 'PolicyRestrictions' });

/** Passcode rules, after the Android Management API `PasswordRequirements`. */
export const PasswordRequirements = z
  .strictObject({
    passwordQuality: z
      .enum(['SOMETHING', 'NUMERIC', 'NUMERIC_COMPLEX', 'ALPHABETIC', 'ALPHANUMERIC', 'COMPLEX'])
      .optional(),
    passwordMinimumLength: z.number().int().min(4).max(64).optional(),
    maximumFailedPasswordsForWipe: z.number().int().min(3).max(100).optional(),
    passwordExpirationTimeout: Duration.optional().describe('A new passcode is required after this long'),
  })
  .meta({ id: 'PasswordRequirements' });

export const AppRule = z
  .strictObject({
    packageName: PackagePattern,
    rule: z.enum(['required', 'blocked', 'allowed']),
    minVersion: PlainText(64).optional().describe('Lowest version allowed (required and allowed apps)'),
  })
  .meta({ id: 'AppRule' });
export type AppRule = z.infer<typeof AppRule>;

/** Categories of device audit data, as the privacy documents list them. */
export const AUDIT_CATEGORIES = [
  'location',
  'callLog',
  'appUsage',
  'screenshots',
  'fileVirusScan',
  'operationLogs',
  'networkInfo',
  'signInOut',
] as const;
export const AuditCategory = z.enum(AUDIT_CATEGORIES);
export type AuditCategory = z.infer<typeof AuditCategory>;

const AuditCollection = z.strictObject({
  enabled: z.boolean(),
  uploadInterval: Duration.optional().describe('How often the device uploads what it collected'),
});

export const PolicyAudit = z
  .strictObject(
    Object.fromEntries(AUDIT_CATEGORIES.map((c) => [c, AuditCollection.optional()])) as {
      [C in AuditCategory]: z.ZodOptional<typeof AuditCollection>;
    },
  )
  .meta({ id: 'PolicyAudit' });

export const PolicyRetention = z
  .strictObject(
    Object.fromEntries(AUDIT_CATEGORIES.map((c) => [c, Duration.optional()])) as {
      [C in AuditCategory]: z.ZodOptional<typeof Duration>;
    },
  )
  .meta({ id: 'PolicyRetention' });

/** The groups a policy applies to; where several policies set a field, the higher priority wins. */
export const PolicyAssignment = z
  .strictObject({
    groups: z.array(GroupName).min(1).max(1000),
    priority: z.number().int().min(0).max(1000),
  })
  .meta({ id: 'PolicyAssignment' });

export const PolicySpec = z
  .strictObject({
    restrictions: PolicyRestrictions.optional(),
    passwordRequirements: PasswordRequirements.optional(),
    applications: z.array(AppRule).max(1000).optional(),
    audit: PolicyAudit.optional(),
    retention: PolicyRetention.optional(),
    assignment: PolicyAssignment,
  })
  .superRefine((spec, ctx) => {
    const rules = new Map<string, { rule: string; index: number }>();
    spec.applications?.forEach((app, index) => {
      const earlier = rules.get(app.packageName);
      if (earlier) {
        ctx.addIssue({
          code: 'custom',
          path: ['applications', index, 'packageName'],
          message:
            earlier.rule === app.rule
              ? `${app.packageName} is listed twice (also applications[${earlier.index}])`
              : `${app.packageName} is both ${earlier.rule} (applications[${earlier.index}]) and ${app.rule}`,
        });
      }
      rules.set(app.packageName, { rule: app.rule, index });
    });
  })
  .meta({ id: 'PolicySpec' });
export type PolicySpec = z.infer<typeof PolicySpec>;

/** One policy file: YAML or JSON, one policy per file. */
export const PolicyDocument = z
  .strictObject({
    apiVersion: z.literal(POLICY_API_VERSION),
    kind: z.literal('Policy'),
    metadata: z.strictObject({
      name: PolicyName,
      description: PlainText(500).optional(),
    }),
    spec: PolicySpec,
  })
  .meta({ id: 'PolicyDocument' });
export type PolicyDocument = z.infer<typeof PolicyDocument>;
export type PolicyDocumentInput = z.input<typeof PolicyDocument>;

/** The JSON Schema of a policy file, for editors (e.g. yaml-language-server's `$schema`). */
export function policyJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(PolicyDocument, { target: 'draft-2020-12', io: 'input' }) as Record<string, unknown>;
}

/** One immutable version of a policy. */
export const PolicyVersion = z
  .object({
    name: PolicyName,
    version: z.number().int().positive(),
    hash: z.string().describe('SHA-256 of the canonical JSON (RFC 8785) of the document'),
    document: PolicyDocument,
    author: z.string(),
    message: z.string().nullable(),
    revision: z.number().int().positive().describe('The revision of the policy set that made it'),
    createdAt: Timestamp,
  })
  .meta({ id: 'PolicyVersion' });
export type PolicyVersion = z.infer<typeof PolicyVersion>;

/** Where a change to the policy set came from. */
export const RevisionSource = z.enum(['apply', 'rollback', 'edit']);

/** Context an apply records, e.g. from CI. */
export const ApplyContext = z.strictObject({
  commit: PlainText(64).optional().describe('Git commit of the policy files'),
  ciRun: PlainText(500).optional().describe('CI run id or URL'),
  ref: PlainText(255).optional().describe('Git branch or tag'),
});

/** One change of the whole policy set: numbered, with what it changed. */
export const PolicyRevision = z
  .object({
    revision: z.number().int().positive(),
    source: RevisionSource,
    author: z.string(),
    message: z.string().nullable(),
    context: ApplyContext.nullable(),
    createdAt: Timestamp,
    created: z.array(PolicyName),
    updated: z.array(PolicyName),
    deleted: z.array(PolicyName),
    rolledBackTo: z.number().int().nullable(),
  })
  .meta({ id: 'PolicyRevision' });
export type PolicyRevision = z.infer<typeof PolicyRevision>;

/** The policies live now, at `revision` (0 before any). */
export const PolicySet = z
  .object({
    revision: z.number().int().nonnegative(),
    policies: z.array(PolicyVersion),
  })
  .meta({ id: 'PolicySet' });
export type PolicySet = z.infer<typeof PolicySet>;

/** One field that differs, by its path in the document (e.g. `spec.restrictions.cameraDisabled`). */
export const FieldChange = z.object({
  path: z.string(),
  from: z.unknown().optional().describe('Absent when the field is added'),
  to: z.unknown().optional().describe('Absent when the field is removed'),
});
export type FieldChange = z.infer<typeof FieldChange>;

export const PolicyChange = z
  .object({
    name: PolicyName,
    action: z.enum(['create', 'update', 'delete', 'unchanged']),
    fields: z.array(FieldChange).describe('What the apply would change, from live to desired'),
    drift: z
      .array(FieldChange)
      .describe(
        'Fields changed on the server since the last apply (from applied to live) that the apply would overwrite',
      ),
  })
  .meta({ id: 'PolicyChange' });
export type PolicyChange = z.infer<typeof PolicyChange>;

export const PolicyPlanRequest = z.strictObject({
  documents: z.array(PolicyDocument).max(5000),
  prune: z.boolean().default(false).describe('Delete live policies that no document names'),
});
export type PolicyPlanRequest = z.input<typeof PolicyPlanRequest>;

/** What an apply of these documents would do. Planning changes nothing. */
export const PolicyPlan = z
  .object({
    baseRevision: z.number().int().nonnegative().describe('The live revision the plan was made against'),
    lastAppliedRevision: z.number().int().nullable().describe('The last revision made by an apply'),
    changes: z.array(PolicyChange),
    summary: z.object({
      create: z.number().int(),
      update: z.number().int(),
      delete: z.number().int(),
      unchanged: z.number().int(),
      drifted: z.number().int(),
    }),
    /** Live policies no document names, kept because `prune` is off. */
    notPruned: z.array(PolicyName),
  })
  .meta({ id: 'PolicyPlan' });
export type PolicyPlan = z.infer<typeof PolicyPlan>;

export const PolicyApplyRequest = z.strictObject({
  documents: z.array(PolicyDocument).max(5000),
  prune: z.boolean().default(false),
  staged: z
    .boolean()
    .default(false)
    .describe('Keep devices on the versions they run until a rollout releases the new ones'),
  baseRevision: z
    .number()
    .int()
    .nonnegative()
    .describe('The revision the plan was made against: refused with 409 if the server moved on'),
  message: PlainText(1000).optional(),
  context: ApplyContext.optional(),
});
export type PolicyApplyRequest = z.input<typeof PolicyApplyRequest>;

/** The result of an apply: the new revision, or none when nothing changed. */
export const PolicyApplyResult = z
  .object({
    revision: PolicyRevision.nullable().describe('Null when nothing changed: nothing is recorded'),
    plan: PolicyPlan,
  })
  .meta({ id: 'PolicyApplyResult' });
export type PolicyApplyResult = z.infer<typeof PolicyApplyResult>;

export const PolicyRollbackRequest = z.strictObject({
  toRevision: z
    .number()
    .int()
    .positive()
    .describe('Make the policy set what it was right after this revision'),
  baseRevision: z.number().int().nonnegative().optional(),
  message: PlainText(1000).optional(),
});
export type PolicyRollbackRequest = z.input<typeof PolicyRollbackRequest>;

export const PolicyNameParams = z.object({ name: PolicyName });

/** A device's effective policy: the merge of its group's policies, and where each field came from. */
export const EffectivePolicy = z
  .object({
    deviceId: Uuid,
    group: GroupName,
    hash: z.string().describe('SHA-256 of the canonical JSON of `settings`: the version a device reports'),
    settings: z.object({
      restrictions: PolicyRestrictions,
      passwordRequirements: PasswordRequirements,
      applications: z.array(AppRule),
      audit: PolicyAudit,
      retention: PolicyRetention,
    }),
    sources: z
      .record(z.string(), z.object({ policy: PolicyName, version: z.number().int() }))
      .describe('For each field path of `settings`, the policy and version it came from'),
    appliedHash: z.string().nullable().describe('The policy hash the device last reported running'),
    failures: z.array(z.object({ path: z.string(), reason: z.string() })),
  })
  .meta({ id: 'EffectivePolicy' });
export type EffectivePolicy = z.infer<typeof EffectivePolicy>;

/** A device that does not run its group's effective policy, or reports fields it could not apply. */
export const PolicyDrift = z
  .object({
    deviceId: Uuid,
    serial: z.string().nullable(),
    group: GroupName,
    expectedHash: z.string().describe("The hash of the group's effective policy"),
    appliedHash: z.string().nullable().describe('The hash the device last reported running; null if none'),
    failures: z.array(z.object({ path: z.string(), reason: z.string() })),
    lastSeenAt: Timestamp,
  })
  .meta({ id: 'PolicyDrift' });
export type PolicyDrift = z.infer<typeof PolicyDrift>;

export const PolicyDriftQuery = PageQuery.extend({
  group: GroupName.optional().describe('Only devices of this group'),
});
export type PolicyDriftQuery = z.input<typeof PolicyDriftQuery>;
