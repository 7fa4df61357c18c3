import { z } from 'zod';
import { MultilineText, PlainText, Timestamp, Uuid } from './common';

export const CommandStatus = z.enum([
  'queued',
  'delivered',
  'acknowledged',
  'succeeded',
  'failed',
  'expired',
  'canceled',
]);
export type CommandStatus = z.infer<typeof CommandStatus>;

/** Statuses after which a command never changes again. */
export const FINAL_COMMAND_STATUSES: readonly CommandStatus[] = [
  'succeeded',
  'failed',
  'expired',
  'canceled',
];

/** A device feature a restriction turns on (allowed) or off (disabled). */
export const Toggle = z.enum(['on', 'off']);
export type Toggle = z.infer<typeof Toggle>;

const PackageId = PlainText(255).describe('Package id of the app, e.g. com.example.mail');

export const LockParams = z.strictObject({
  message: MultilineText(500).optional().describe('Shown on the lock screen'),
});

export const WipeParams = z.strictObject({
  keepEsim: z.boolean().default(false).describe('Keep the eSIM profiles through the factory reset'),
  wipeExternalStorage: z
    .boolean()
    .default(false)
    .describe('Also erase external storage (SD card), not only the device itself'),
  reason: PlainText(500).optional().describe('Why the device is wiped, e.g. "reported lost"'),
});

export const RebootParams = z.strictObject({});

export const LocateParams = z.strictObject({});

export const RingParams = z.strictObject({
  durationSeconds: z
    .number()
    .int()
    .min(5)
    .max(300)
    .optional()
    .describe('How long the device rings at full volume (the device rings 30 s if not given)'),
});

export const MessageParams = z.strictObject({
  title: PlainText(100).optional().describe('Heading of the message'),
  body: MultilineText(1000).min(1).describe('Text shown to the device user'),
});

/** The restriction names a set-restrictions command may change (besides `forceGps`). */
export const RESTRICTION_TOGGLES = [
  'wifi',
  'camera',
  'bluetooth',
  'nfc',
  'calls',
  'factoryReset',
  'screenshots',
] as const;
export type RestrictionToggle = (typeof RESTRICTION_TOGGLES)[number];

export const SetRestrictionsParams = z
  .strictObject({
    wifi: Toggle.optional().describe('Wi-Fi'),
    camera: Toggle.optional().describe('Camera'),
    bluetooth: Toggle.optional().describe('Bluetooth'),
    nfc: Toggle.optional().describe('NFC'),
    calls: Toggle.optional().describe('Outgoing phone calls'),
    factoryReset: Toggle.optional().describe('Factory reset from the device settings'),
    screenshots: Toggle.optional().describe('Screenshots and screen recording'),
    forceGps: z.boolean().optional().describe('Keep location (GPS) on; the user cannot turn it off'),
  })
  .refine((p) => Object.values(p).some((v) => v !== undefined), {
    message: `give at least one restriction to change: ${[...RESTRICTION_TOGGLES, 'forceGps'].join(', ')}`,
  });

export const RemoveAppParams = z.strictObject({ packageId: PackageId });

export const ClearAppDataParams = z.strictObject({ packageId: PackageId });

export const SyncParams = z.strictObject({});

export const RetireParams = z.strictObject({});

export const CommandType = z.enum([
  'lock',
  'wipe',
  'reboot',
  'locate',
  'ring',
  'message',
  'set-restrictions',
  'remove-app',
  'clear-app-data',
  'sync',
  'retire',
]);
export type CommandType = z.infer<typeof CommandType>;

/** Each command type with the schema of its parameters. */
export const COMMAND_PARAMS = {
  lock: LockParams,
  wipe: WipeParams,
  reboot: RebootParams,
  locate: LocateParams,
  ring: RingParams,
  message: MessageParams,
  'set-restrictions': SetRestrictionsParams,
  'remove-app': RemoveAppParams,
  'clear-app-data': ClearAppDataParams,
  sync: SyncParams,
  retire: RetireParams,
} as const satisfies Record<CommandType, z.ZodType>;

/** The parameters of command `T` once validated (defaults applied). */
export type CommandParams<T extends CommandType> = z.output<(typeof COMMAND_PARAMS)[T]>;
/** The parameters of command `T` as a caller may give them. */
export type CommandParamsInput<T extends CommandType> = z.input<(typeof COMMAND_PARAMS)[T]>;

/** Commands that erase the device or remove it from management: they call for extra care. */
export const DESTRUCTIVE_COMMANDS = ['wipe', 'retire'] as const satisfies readonly CommandType[];

/** A command to send: its type and the parameters of that type. */
export const CommandRequest = z.discriminatedUnion('type', [
  z.object({ type: z.literal('lock'), params: LockParams.prefault({}) }),
  z.object({ type: z.literal('wipe'), params: WipeParams.prefault({}) }),
  z.object({ type: z.literal('reboot'), params: RebootParams.prefault({}) }),
  z.object({ type: z.literal('locate'), params: LocateParams.prefault({}) }),
  z.object({ type: z.literal('ring'), params: RingParams.prefault({}) }),
  z.object({ type: z.literal('message'), params: MessageParams }),
  z.object({ type: z.literal('set-restrictions'), params: SetRestrictionsParams }),
  z.object({ type: z.literal('remove-app'), params: RemoveAppParams }),
  z.object({ type: z.literal('clear-app-data'), params: ClearAppDataParams }),
  z.object({ type: z.literal('sync'), params: SyncParams.prefault({}) }),
  z.object({ type: z.literal('retire'), params: RetireParams.prefault({}) }),
]);
export type CommandRequest = z.input<typeof CommandRequest>;

export const DEFAULT_COMMAND_TTL_SECONDS = 7 * 24 * 3600;

export const SendCommandRequest = z.intersection(
  CommandRequest,
  z.object({
    ttlSeconds: z
      .number()
      .int()
      .min(10)
      .max(30 * 24 * 3600)
      .default(DEFAULT_COMMAND_TTL_SECONDS),
  }),
);
export type SendCommandRequest = z.input<typeof SendCommandRequest>;

/** Where a located device is: the result of a `locate` command. */
export const LocationResult = z
  .object({
    latitude: z.number().min(-90).max(90),
    longitude: z.number().min(-180).max(180),
    accuracyMeters: z.number().nonnegative(),
    at: Timestamp.describe('When the device took the fix'),
  })
  .meta({ id: 'LocationResult' });
export type LocationResult = z.infer<typeof LocationResult>;

/** What a command produced besides its status, e.g. a {@link LocationResult} for `locate`. */
export const CommandResult = z.record(z.string(), z.unknown());
export type CommandResult = z.infer<typeof CommandResult>;

export const Command = z
  .object({
    id: Uuid,
    deviceId: Uuid,
    type: CommandType,
    params: z.record(z.string(), z.unknown()),
    status: CommandStatus,
    error: z.string().nullable(),
    result: CommandResult.nullable()
      .default(null)
      .describe('What the device reported besides its status, e.g. the location for locate'),
    createdBy: z.string().describe('Name of the API token that sent it'),
    createdAt: Timestamp,
    deliveredAt: Timestamp.nullable(),
    acknowledgedAt: Timestamp.nullable(),
    completedAt: Timestamp.nullable(),
    expiresAt: Timestamp,
  })
  .meta({ id: 'Command' });
export type Command = z.infer<typeof Command>;

/** A command as the device receives it, signed by its org. */
export const DeviceCommand = z
  .object({
    id: Uuid,
    type: CommandType,
    params: z.record(z.string(), z.unknown()),
    issuedAt: Timestamp,
    expiresAt: Timestamp,
    signature: z
      .string()
      .describe(
        "Ed25519 signature (base64) by the org's command signing key over the RFC 8785 canonical JSON of " +
          '{ orgId, deviceId, enrollmentGeneration, id, type, params, issuedAt, expiresAt }; the device ' +
          'fills in its own orgId, deviceId and enrollmentGeneration from its enrollment',
      ),
  })
  .meta({ id: 'DeviceCommand' });
export type DeviceCommand = z.infer<typeof DeviceCommand>;
