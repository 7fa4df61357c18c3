import { z } from 'zod';
import { GroupName, PageQuery, PlainText, Timestamp, Uuid } from './common';
import { ConsentGrants, type ConsentPermission } from './device';
import { AUDIT_CATEGORIES, AuditCategory } from './policy';

export { AUDIT_CATEGORIES, AuditCategory };

/** Most events one upload may carry; a device with more sends several batches. */
export const MAX_EVENTS_PER_BATCH = 1000;

/**
 * The permission the device user must have granted for each category to be stored (seed 000:
 * location; all-files access for screenshots and virus scans; call log; app usage statistics).
 * Categories mapped to null need only the policy switch.
 */
export const CATEGORY_PERMISSION: Readonly<Record<AuditCategory, ConsentPermission | null>> = {
  location: 'location',
  callLog: 'callLog',
  appUsage: 'appUsage',
  screenshots: 'files',
  fileVirusScan: 'files',
  operationLogs: null,
  networkInfo: null,
  signInOut: null,
};

/** Retention of a category nothing else sets: neither the device's policy nor the org settings. */
export const DEFAULT_RETENTION = '90d';

const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 is 64 lowercase hex digits');
const Latitude = z.number().min(-90).max(90);
const Longitude = z.number().min(-180).max(180);
const Seconds = z
  .number()
  .int()
  .min(0)
  .max(31 * 86_400);

/**
 * What each category's event carries. Phone numbers, identifiers and coordinates are kept as
 * sent: redaction (`redact`) and anonymization rewrite them, so the stored shapes stay loose.
 */
export const AUDIT_EVENT_DATA = {
  location: z.strictObject({
    latitude: Latitude,
    longitude: Longitude,
    accuracyMeters: z.number().min(0).max(100_000).nullable(),
    source: z.enum(['gps', 'wifi', 'cell']),
  }),
  callLog: z.strictObject({
    direction: z.enum(['incoming', 'outgoing', 'missed']),
    number: PlainText(32).nullable().describe('The other party; null once anonymized'),
    durationSeconds: Seconds,
  }),
  appUsage: z.strictObject({
    packageId: PlainText(255),
    foregroundSeconds: Seconds,
    periodStart: Timestamp,
    periodEnd: Timestamp,
  }),
  screenshots: z.strictObject({
    sha256: Sha256.describe('Hash of the image; the image itself is never uploaded'),
    width: z.number().int().positive().max(20_000),
    height: z.number().int().positive().max(20_000),
    sizeBytes: z.number().int().nonnegative(),
    packageId: PlainText(255).nullable().describe('App in the foreground when it was taken'),
  }),
  fileVirusScan: z.strictObject({
    path: PlainText(1024).nullable().describe('null once anonymized'),
    sha256: Sha256,
    verdict: z.enum(['clean', 'infected', 'suspicious']),
    threat: PlainText(255).nullable(),
    engineVersion: PlainText(64),
  }),
  operationLogs: z.strictObject({
    action: PlainText(128).describe('e.g. app.open, settings.change, client.start'),
    detail: PlainText(1000).nullable(),
  }),
  networkInfo: z.strictObject({
    networkType: z.enum(['wifi', 'cellular', 'ethernet', 'none']),
    ssid: PlainText(64).nullable(),
    ipAddress: PlainText(45).nullable(),
    carrier: PlainText(64).nullable(),
  }),
  signInOut: z.strictObject({
    kind: z.enum(['sign-in', 'sign-out']),
    method: PlainText(64).describe('e.g. password, sso, biometric'),
  }),
} satisfies Record<AuditCategory, z.ZodType>;

/** One object schema per category, told apart by `category`, each with `base` beside its data. */
function eventUnion<Base extends z.ZodRawShape>(base: Base) {
  const variant = <C extends AuditCategory>(category: C) =>
    z.object({ ...base, category: z.literal(category), data: AUDIT_EVENT_DATA[category] });
  return z.discriminatedUnion('category', [
    variant('location'),
    variant('callLog'),
    variant('appUsage'),
    variant('screenshots'),
    variant('fileVirusScan'),
    variant('operationLogs'),
    variant('networkInfo'),
    variant('signInOut'),
  ]);
}

/** One event as the device uploads it; `eventId` makes a re-sent batch store nothing twice. */
export const DeviceEventInput = eventUnion({
  eventId: Uuid.describe('Chosen by the device; an event sent again with the same id is a duplicate'),
  occurredAt: Timestamp.describe("When it happened, by the device's clock"),
}).meta({ id: 'UploadedDeviceEvent' });
export type DeviceEventInput = z.input<typeof DeviceEventInput>;

/**
 * A batch of events. Items are checked one by one: a bad item is reported with its index and
 * the good ones are kept.
 */
export const UploadEventsRequest = z.object({
  deviceId: Uuid.describe('The uploading device: must be the one whose credential is used'),
  events: z
    .array(z.unknown())
    .min(1, 'a batch carries at least one event')
    .max(MAX_EVENTS_PER_BATCH, `a batch carries at most ${MAX_EVENTS_PER_BATCH} events: split it`),
});
export type UploadEventsRequest = z.input<typeof UploadEventsRequest>;

/** Why an event was not stored although it was well-formed. */
export const DropReason = z.enum(['policy', 'consent']);
export type DropReason = z.infer<typeof DropReason>;

/**
 * What happened to a batch. When `rejected` is not empty the answer is a 422 `validation_failed`
 * error whose `details` is this report: the accepted events are stored all the same.
 */
export const UploadEventsReport = z
  .object({
    accepted: z.number().int().nonnegative().describe('Events stored'),
    duplicates: z.number().int().nonnegative().describe('Events already stored from an earlier upload'),
    dropped: z
      .array(z.object({ category: AuditCategory, reason: DropReason, count: z.number().int().positive() }))
      .describe(
        "Well-formed events not stored: the policy does not collect the category, or the user withdrew the category's permission",
      ),
    rejected: z.array(
      z.object({
        index: z.number().int().nonnegative(),
        eventId: z.string().nullable(),
        code: z.enum(['invalid_event', 'unknown_category']),
        message: z.string(),
      }),
    ),
  })
  .meta({ id: 'UploadEventsReport' });
export type UploadEventsReport = z.infer<typeof UploadEventsReport>;

/** An event as it is stored and read back by administrators. */
export const DeviceEvent = eventUnion({
  id: z
    .string()
    .regex(/^\d+$/)
    .describe("Position in the org's event log: increasing, the export's resume point"),
  eventId: Uuid,
  deviceId: Uuid.nullable().describe('null once anonymized'),
  userId: Uuid.nullable().describe("The device's owner when it was received; null once anonymized"),
  occurredAt: Timestamp,
  receivedAt: Timestamp.describe('When the server received it: compare with occurredAt for clock skew'),
  anonymized: z.boolean(),
}).meta({ id: 'DeviceEvent' });
export type DeviceEvent = z.infer<typeof DeviceEvent>;

/** `location,callLog` or repeated; kebab-case (`call-log`) is accepted too. */
const CategoryList = z
  .union([z.string(), z.array(z.string())])
  .transform((value, ctx) => {
    const names = (Array.isArray(value) ? value : [value]).flatMap((v) => v.split(','));
    const categories: AuditCategory[] = [];
    for (const raw of names) {
      const name = raw.trim().replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
      if (name === '') continue;
      const parsed = AuditCategory.safeParse(name);
      if (!parsed.success) {
        ctx.addIssue({
          code: 'custom',
          message: `unknown category "${raw.trim()}": expected ${AUDIT_CATEGORIES.join(', ')}`,
        });
        return z.NEVER;
      }
      if (!categories.includes(parsed.data)) categories.push(parsed.data);
    }
    return categories;
  })
  .describe(`Categories, comma-separated: ${AUDIT_CATEGORIES.join(', ')}`);

/** Which device events: every filter given must hold. */
export const AuditEventFilter = z.object({
  category: CategoryList.optional(),
  deviceId: Uuid.optional(),
  group: GroupName.optional().describe("The device's group now"),
  userId: Uuid.optional().describe("The device's owner when the event was received"),
  since: Timestamp.optional().describe('Events that occurred at or after this time'),
  until: Timestamp.optional().describe('Events that occurred before this time'),
});

export const AuditEventQuery = PageQuery.extend(AuditEventFilter.shape);
export type AuditEventQuery = z.input<typeof AuditEventQuery>;

export const EXPORT_FORMATS = ['ndjson', 'csv', 'json'] as const;
export const ExportFormat = z.enum(EXPORT_FORMATS);
export type ExportFormat = z.infer<typeof ExportFormat>;

/** Columns of a CSV export, in order; `data` holds the category's fields as JSON. */
export const EXPORT_CSV_COLUMNS = [
  'id',
  'eventId',
  'deviceId',
  'userId',
  'category',
  'occurredAt',
  'receivedAt',
  'anonymized',
  'data',
] as const;

const QueryBoolean = z
  .union([z.boolean(), z.enum(['true', 'false', '1', '0'])])
  .transform((v) => v === true || v === 'true' || v === '1');

/**
 * A streamed export, in event id order. `after` resumes after the last event already received:
 * the rows that follow are exactly those an uninterrupted export would have sent next.
 */
export const AuditExportQuery = AuditEventFilter.extend({
  format: ExportFormat.default('ndjson'),
  redact: QueryBoolean.default(false).describe(
    'Mask phone numbers, IMEIs, serials and e-mail addresses and round locations (docs/audit.md)',
  ),
  after: z
    .string()
    .regex(/^\d{1,19}$/, 'after is the id of the last event received')
    .optional(),
});
export type AuditExportQuery = z.input<typeof AuditExportQuery>;

/** The media type of each export format. */
export const EXPORT_CONTENT_TYPES: Readonly<Record<ExportFormat, string>> = {
  ndjson: 'application/x-ndjson',
  csv: 'text/csv; charset=utf-8',
  json: 'application/json',
};

/** Sent with a mutating admin call, kept in its activity entry: where the change came from. */
export const CLIENT_CONTEXT_HEADER = 'fleetops-context';

export const ClientContext = z
  .record(
    z.string().regex(/^[a-zA-Z][a-zA-Z0-9]{0,31}$/, 'context keys are letters and digits, e.g. gitCommit'),
    PlainText(200),
  )
  .refine((c) => Object.keys(c).length <= 10, 'at most 10 context entries')
  .describe(
    `JSON object in the ${CLIENT_CONTEXT_HEADER} header, e.g. {"gitCommit":"4f2a…","ciRun":"1234","approvalId":"CHG-7"}`,
  )
  .meta({ id: 'ClientContext' });
export type ClientContext = z.infer<typeof ClientContext>;

/** One entry of the admin activity log: who changed what, linked to the entry before it by hash. */
export const ActivityEntry = z
  .object({
    seq: z.number().int().positive().describe("Position in the org's log, from 1, without gaps"),
    at: Timestamp,
    actor: z.object({
      tokenId: Uuid,
      tokenName: z.string(),
      role: z.string(),
    }),
    ip: z.string().nullable(),
    requestId: z.string(),
    action: z.string().describe('e.g. devices.update, jobs.create, users.offboard'),
    target: z
      .object({ type: z.string(), id: z.string() })
      .nullable()
      .describe('What was changed, e.g. {type: device, id}'),
    changes: z
      .object({ before: z.unknown().optional(), after: z.unknown().optional() })
      .nullable()
      .describe('The fields that changed, before and after; secrets are never kept'),
    context: ClientContext,
    prevHash: z.string().describe('hash of entry seq-1 (64 zeros for the first)'),
    hash: z
      .string()
      .describe('SHA-256 over prevHash and the canonical JSON (RFC 8785) of this entry without its hash'),
  })
  .meta({ id: 'ActivityEntry' });
export type ActivityEntry = z.infer<typeof ActivityEntry>;

export const ActivityQuery = PageQuery.extend({
  actor: z.string().min(1).max(200).optional().describe('Token name or token id'),
  action: z.string().min(1).max(100).optional().describe('An action, or a prefix ending in . (devices.)'),
  targetId: z.string().min(1).max(200).optional(),
  since: Timestamp.optional(),
  until: Timestamp.optional(),
});
export type ActivityQuery = z.input<typeof ActivityQuery>;

/** A signed statement of the log's head, so that cutting entries off its end is detected. */
export const ActivityCheckpoint = z
  .object({
    number: z.number().int().positive().describe('Checkpoints are numbered from 1 without gaps'),
    seq: z.number().int().positive(),
    hash: z.string(),
    at: Timestamp,
    signature: z
      .string()
      .describe('Ed25519 signature by the org key over the canonical JSON of {orgId, number, seq, hash, at}'),
  })
  .meta({ id: 'ActivityCheckpoint' });
export type ActivityCheckpoint = z.infer<typeof ActivityCheckpoint>;

/** A head a verifier saw before: the chain must still contain it, unchanged. */
export const ActivityVerifyQuery = z.object({
  witnessSeq: z.coerce.number().int().positive().optional(),
  witnessHash: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional(),
});

export const ChainBreak = z.object({
  seq: z.number().int().positive().describe("The first entry (or checkpoint's entry) that does not verify"),
  kind: z.enum([
    'edited',
    'missing',
    'relinked',
    'checkpoint_mismatch',
    'checkpoint_signature',
    'checkpoint_missing',
    'truncated',
    'witness_mismatch',
  ]),
  message: z.string().describe('One line a person can act on'),
});
export type ChainBreak = z.infer<typeof ChainBreak>;

export const ActivityVerifyResult = z
  .object({
    ok: z.boolean(),
    entries: z.number().int().nonnegative().describe('Entries checked'),
    head: z.object({ seq: z.number().int().positive(), hash: z.string() }).nullable(),
    checkpoints: z.number().int().nonnegative().describe('Checkpoints checked'),
    latestCheckpoint: ActivityCheckpoint.nullable(),
    broken: ChainBreak.nullable().describe('The first break found; null when the chain verifies'),
  })
  .meta({ id: 'ActivityVerifyResult' });
export type ActivityVerifyResult = z.infer<typeof ActivityVerifyResult>;

/** One category's collection on one device: both gates, and what was kept or dropped. */
export const CategoryConsent = z.object({
  category: AuditCategory,
  permission: z
    .string()
    .nullable()
    .describe('The permission it needs, or null when the policy alone decides'),
  policyEnabled: z.boolean(),
  permissionGranted: z.boolean().describe('true also when no permission is needed'),
  collecting: z.boolean().describe('Both gates open: events of this category are stored'),
  retention: z.string().describe('How long its events are kept, e.g. 90d'),
  stored: z.number().int().nonnegative(),
  dropped: z.object({ policy: z.number().int().nonnegative(), consent: z.number().int().nonnegative() }),
  lastDroppedAt: Timestamp.nullable(),
});

export const DeviceConsent = z
  .object({
    deviceId: Uuid,
    grants: ConsentGrants,
    categories: z.array(CategoryConsent),
  })
  .meta({ id: 'DeviceConsent' });
export type DeviceConsent = z.infer<typeof DeviceConsent>;

/** What one retention pass did. */
export const RetentionRunResult = z
  .object({
    deleted: z.number().int().nonnegative(),
    anonymized: z.number().int().nonnegative(),
  })
  .meta({ id: 'RetentionRunResult' });
export type RetentionRunResult = z.infer<typeof RetentionRunResult>;
