import { z } from 'zod';
import { CommandRequest, CommandStatus, CommandType, DEFAULT_COMMAND_TTL_SECONDS } from './commands';
import { PageQuery, PlainText, Timestamp, Uuid } from './common';
import { ManagementMode, Os } from './device';
import { PolicyRetention } from './policy';

/** Most devices one request may name; a selector has no such limit. */
export const MAX_TARGET_REFS = 100_000;

/** An unapproved job expires after this long, with nothing delivered. */
export const APPROVAL_WINDOW_SECONDS = 24 * 3600;

/** Longest `delaySeconds` a job may wait before it is delivered. */
export const MAX_JOB_DELAY_SECONDS = 7 * 24 * 3600;

/** How a line of a target file names its device. */
export const TargetKey = z.enum(['id', 'serial', 'imei']);
export type TargetKey = z.infer<typeof TargetKey>;

/** One device named by the caller: by id, serial or IMEI, with the file line it came from. */
export const TargetRef = z.object({
  by: TargetKey.default('id'),
  value: PlainText(128),
  line: z.number().int().positive().optional().describe('Line of the input file naming this device'),
});
export type TargetRef = z.input<typeof TargetRef>;

/** Which devices a job acts on: exactly one of `devices`, `where` or `all`. */
export const JobTargets = z.union([
  z.strictObject({ devices: z.array(TargetRef).min(1).max(MAX_TARGET_REFS) }),
  z.strictObject({
    where: z.string().max(2000).describe('Device selector (docs/selectors.md), evaluated once at creation'),
    all: z
      .literal(true)
      .optional()
      .describe('Accept a selector that matches every active device (refused without this)'),
  }),
  z.strictObject({ all: z.literal(true).describe('Every active device of the org') }),
]);
export type JobTargets = z.input<typeof JobTargets>;

/** Checks a job must pass before anything is created; a failed one answers 422 `guard_refused`. */
export const JobGuards = z.object({
  expectCount: z
    .number()
    .int()
    .min(0)
    .optional()
    .describe('Refuse unless the targets resolve to exactly this many devices (skipped ones included)'),
  maxTargets: z
    .number()
    .int()
    .min(1)
    .optional()
    .describe('Refuse when the targets resolve to more than this many devices (skipped ones included)'),
});

const JobOptions = z.object({
  targets: JobTargets,
  reason: PlainText(500).optional().describe('Why: kept on the job and shown to approvers'),
  ttlSeconds: z
    .number()
    .int()
    .min(10)
    .max(30 * 24 * 3600)
    .default(DEFAULT_COMMAND_TTL_SECONDS)
    .describe('How long each command may wait for its device once deliverable'),
  delaySeconds: z
    .number()
    .int()
    .min(0)
    .max(MAX_JOB_DELAY_SECONDS)
    .optional()
    .describe('Deliver only after this long; the job can be canceled until then'),
  afterJobId: Uuid.optional().describe(
    "Run on each device only once that device's command of this earlier job succeeded",
  ),
  ...JobGuards.shape,
});

/** A job to create: a command, its targets, guards and schedule. */
export const CreateJobRequest = z.intersection(CommandRequest, JobOptions);
export type CreateJobRequest = z.input<typeof CreateJobRequest>;

/** What a job would do: the same request, with how many rows of the per-device preview to return. */
export const PreviewJobRequest = z.intersection(
  CommandRequest,
  JobOptions.extend({
    sampleSize: z.number().int().min(0).max(10_000).default(20).describe('Devices listed in the preview'),
  }),
);
export type PreviewJobRequest = z.input<typeof PreviewJobRequest>;

/** Why a targeted device will not run the command. */
export const SkipReason = z.enum([
  'byod_wipe',
  'pending_destructive',
  'unsupported_platform',
  'already_locked',
  'retired',
  'not_in_after_job',
]);
export type SkipReason = z.infer<typeof SkipReason>;

/** A device or input line that could not be resolved to exactly one device of the org. */
export const UnresolvedTarget = z.object({
  by: TargetKey,
  value: z.string(),
  line: z.number().int().nullable(),
  problem: z.enum(['not_found', 'ambiguous', 'duplicate']),
  message: z.string(),
});
export type UnresolvedTarget = z.infer<typeof UnresolvedTarget>;

/** One device of a preview: whether it would run the command, and why not. */
export const PreviewDevice = z.object({
  deviceId: Uuid,
  serial: z.string().nullable(),
  model: z.string().nullable(),
  os: Os.nullable(),
  group: z.string(),
  mode: ManagementMode,
  lastSeenAt: Timestamp,
  line: z.number().int().nullable(),
  eligible: z.boolean(),
  skipReason: SkipReason.nullable(),
  message: z
    .string()
    .nullable()
    .describe('The skip reason in words, or a note such as "offline for 23 days"'),
});
export type PreviewDevice = z.infer<typeof PreviewDevice>;

/** The blast radius of a job, computed without creating anything. */
export const JobPreview = z
  .object({
    type: CommandType,
    targetCount: z.number().int().describe('Devices the targets resolved to'),
    eligibleCount: z.number().int().describe('Devices that would run the command'),
    skipped: z
      .partialRecord(SkipReason, z.number().int())
      .describe('Devices that would be skipped, per reason'),
    unresolved: z.array(UnresolvedTarget),
    requiresApproval: z.boolean(),
    refusal: z
      .string()
      .nullable()
      .describe('Why creating this job would be refused (a guard, the budget), or null when it would not'),
    devices: z.array(PreviewDevice).describe('The first `sampleSize` devices, in id order'),
  })
  .meta({ id: 'JobPreview' });
export type JobPreview = z.infer<typeof JobPreview>;

export const JobStatus = z.enum([
  'awaiting_approval',
  'scheduled',
  'running',
  'completed',
  'canceled',
  'expired',
]);
export type JobStatus = z.infer<typeof JobStatus>;

/** Job statuses after which nothing more happens. */
export const FINAL_JOB_STATUSES: readonly JobStatus[] = ['completed', 'canceled', 'expired'];

/** What a device's command of a job came to; `skipped` devices never got one. */
export const JobDeviceStatus = z.enum([...CommandStatus.options, 'skipped']);
export type JobDeviceStatus = z.infer<typeof JobDeviceStatus>;

export const JobCounts = z.record(JobDeviceStatus, z.number().int()).meta({ id: 'JobCounts' });
export type JobCounts = z.infer<typeof JobCounts>;

export const Job = z
  .object({
    id: Uuid,
    type: CommandType,
    params: z.record(z.string(), z.unknown()),
    status: JobStatus,
    reason: z.string().nullable(),
    selector: z.string().nullable().describe('The selector the targets came from, if any'),
    targetCount: z.number().int().describe('Devices the job was created for, skipped ones included'),
    counts: JobCounts.describe('Devices per status'),
    unresolved: z.array(UnresolvedTarget),
    createdBy: z.string(),
    createdAt: Timestamp,
    requiresApproval: z.boolean(),
    approvedBy: z.string().nullable(),
    approvedAt: Timestamp.nullable(),
    approvalExpiresAt: Timestamp.nullable().describe('An unapproved job expires then, nothing delivered'),
    notBefore: Timestamp.nullable().describe('Delivery starts then (a delayed job)'),
    afterJobId: Uuid.nullable(),
    canceledBy: z.string().nullable(),
    canceledAt: Timestamp.nullable(),
    completedAt: Timestamp.nullable(),
    ttlSeconds: z.number().int(),
  })
  .meta({ id: 'Job' });
export type Job = z.infer<typeof Job>;

/** One device's outcome in a job, traced to the input line that named it. */
export const JobResult = z
  .object({
    deviceId: Uuid,
    commandId: Uuid,
    serial: z.string().nullable(),
    status: JobDeviceStatus,
    error: z.string().nullable().describe('Why it failed or was skipped'),
    line: z.number().int().nullable().describe('Line of the input file that named the device'),
    result: z.record(z.string(), z.unknown()).nullable(),
    deliveredAt: Timestamp.nullable(),
    completedAt: Timestamp.nullable(),
  })
  .meta({ id: 'JobResult' });
export type JobResult = z.infer<typeof JobResult>;

export const JobListQuery = PageQuery.extend({
  status: JobStatus.optional(),
  type: CommandType.optional(),
});
export type JobListQuery = z.input<typeof JobListQuery>;

export const JobResultsQuery = PageQuery.extend({
  status: JobDeviceStatus.optional().describe('Only devices with this outcome'),
});
export type JobResultsQuery = z.input<typeof JobResultsQuery>;

/** Org-wide safety settings; null turns a setting off. */
export const OrgSettings = z
  .object({
    approvalThreshold: z
      .number()
      .int()
      .min(0)
      .nullable()
      .describe('A destructive job for more devices than this waits for a second admin to approve it'),
    destructiveBudgetPerHour: z
      .number()
      .int()
      .min(1)
      .nullable()
      .describe('Most destructive commands (wipe, retire) the org may create in any hour'),
    retention: PolicyRetention.describe(
      "How long device events of each category are kept where the device's policy does not say (default 90d)",
    ),
    retentionAction: z
      .enum(['delete', 'anonymize'])
      .describe(
        'What happens to an event past its retention, and to the events of a retired device or an erased user',
      ),
  })
  .meta({ id: 'OrgSettings' });
export type OrgSettings = z.infer<typeof OrgSettings>;

export const PatchOrgSettingsRequest = OrgSettings.partial().refine(
  (p) => Object.values(p).some((v) => v !== undefined),
  'nothing to change: give approvalThreshold, destructiveBudgetPerHour, retention or retentionAction',
);
export type PatchOrgSettingsRequest = z.input<typeof PatchOrgSettingsRequest>;

/** Platforms a command cannot run on: such devices are skipped (`unsupported_platform`). */
export const UNSUPPORTED_PLATFORMS: Partial<Record<CommandType, readonly Os[]>> = {
  'clear-app-data': ['ios'],
};

/** Commands delivered ahead of any backlog of routine ones. */
export const URGENT_COMMANDS: readonly CommandType[] = ['lock', 'wipe', 'retire'];
