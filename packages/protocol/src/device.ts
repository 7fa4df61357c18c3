import { z } from 'zod';
import { Toggle } from './commands';
import { GroupName, Label, MultilineText, PlainText, Timestamp, Uuid } from './common';

export const Os = z.enum(['android', 'ios']);
export type Os = z.infer<typeof Os>;

/** How the organisation manages the device: corporate-owned (COPE, COBO) or personally owned (BYOD). */
export const ManagementMode = z.enum(['COPE', 'COBO', 'BYOD']);
export type ManagementMode = z.infer<typeof ManagementMode>;

export const NetworkType = z.enum(['wifi', 'cellular', 'ethernet', 'none']);
export type NetworkType = z.infer<typeof NetworkType>;

/** What a device reports about itself: the terminal information the seeds list. */
export const DeviceFacts = z
  .object({
    model: PlainText(128),
    brand: PlainText(64),
    os: Os,
    osVersion: PlainText(32),
    serial: PlainText(64),
    imei: z
      .string()
      .regex(/^\d{15}$/, 'an IMEI is 15 digits')
      .nullable()
      .default(null),
    meid: z
      .string()
      .regex(/^[0-9A-F]{14}$/, 'a MEID is 14 hexadecimal digits')
      .nullable()
      .default(null),
    macAddress: z
      .string()
      .regex(/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/, 'a MAC address is six lowercase hex pairs'),
    androidId: z
      .string()
      .regex(/^[0-9a-f]{16}$/, 'an Android ID is 16 lowercase hex digits')
      .nullable()
      .default(null),
    phoneNumber: z
      .string()
      .regex(/^\+[1-9]\d{6,14}$/, 'a phone number is in E.164 form, e.g. +14155550100')
      .nullable()
      .default(null),
    networkType: NetworkType,
    wifiEnabled: z.boolean(),
    passcodeSet: z.boolean().nullable().default(null).describe('A screen lock is set; null if not reported'),
    storageEncrypted: z
      .boolean()
      .nullable()
      .default(null)
      .describe('Storage is encrypted; null if not reported'),
    rooted: z.boolean().nullable().default(null).describe('Rooted or jailbroken; null if not reported'),
  })
  .meta({ id: 'DeviceFacts' });
export type DeviceFacts = z.infer<typeof DeviceFacts>;
export type DeviceFactsInput = z.input<typeof DeviceFacts>;

/** A signing-certificate digest: SHA-1 (40) or SHA-256 (64) hexadecimal digits, kept upper case. */
export const CertificateDigest = z
  .string()
  .regex(/^([0-9A-Fa-f]{40}|[0-9A-Fa-f]{64})$/, 'a SHA-1 (40) or SHA-256 (64) hex digest')
  .toUpperCase();

export const InstalledApp = z
  .object({
    packageId: PlainText(255),
    name: PlainText(255),
    version: PlainText(64),
    installer: PlainText(255).nullable().default(null),
    certificate: CertificateDigest.nullable()
      .default(null)
      .describe("Digest of the app's signing certificate"),
  })
  .meta({ id: 'InstalledApp' });
export type InstalledApp = z.infer<typeof InstalledApp>;

/**
 * Permissions the device user grants or withdraws; each gates one audit category
 * (location; all-files access for screenshots and virus scans; call log; app usage).
 */
export const ConsentPermission = z.enum(['location', 'files', 'callLog', 'appUsage']);
export type ConsentPermission = z.infer<typeof ConsentPermission>;

export const ConsentGrants = z
  .object({
    location: z.boolean(),
    files: z.boolean(),
    callLog: z.boolean(),
    appUsage: z.boolean(),
  })
  .meta({ id: 'ConsentGrants' });
export type ConsentGrants = z.infer<typeof ConsentGrants>;

/**
 * The device controls an administrator can set (set-restrictions): each feature is `on` (allowed)
 * or `off` (disabled), and `forceGps` keeps location on. A device that does not report them has
 * the defaults: everything allowed, GPS not forced.
 */
export const Restrictions = z
  .object({
    wifi: Toggle.default('on'),
    camera: Toggle.default('on'),
    bluetooth: Toggle.default('on'),
    nfc: Toggle.default('on'),
    calls: Toggle.default('on'),
    factoryReset: Toggle.default('on'),
    screenshots: Toggle.default('on'),
    forceGps: z.boolean().default(false),
  })
  .meta({ id: 'Restrictions' });
export type Restrictions = z.infer<typeof Restrictions>;

/** Restrictions of a device nothing was set on. */
export const DEFAULT_RESTRICTIONS: Readonly<Restrictions> = Object.freeze(Restrictions.parse({}));

/** The last message (command `message`) shown to the device user. */
export const ShownMessage = z
  .object({
    title: PlainText(100).optional(),
    body: MultilineText(1000),
    at: Timestamp.describe('When the device showed it'),
  })
  .meta({ id: 'ShownMessage' });
export type ShownMessage = z.infer<typeof ShownMessage>;

/** State the device applies on command and reports back; older devices report `locked` only. */
export const DeviceState = z
  .object({
    locked: z.boolean(),
    restrictions: Restrictions.prefault({}),
    lastMessage: ShownMessage.optional(),
  })
  .meta({ id: 'DeviceState' });
export type DeviceState = z.infer<typeof DeviceState>;

export const DeviceStatus = z.enum(['active', 'retired']);
export type DeviceStatus = z.infer<typeof DeviceStatus>;

export const Device = z
  .object({
    id: Uuid,
    status: DeviceStatus,
    group: GroupName,
    labels: z.array(Label),
    mode: ManagementMode,
    facts: DeviceFacts,
    state: DeviceState,
    consent: ConsentGrants,
    ownerId: Uuid.nullable().describe('The user who owns the device (users); null when nobody is set'),
    appCount: z.number().int().nonnegative(),
    enrollmentGeneration: z
      .number()
      .int()
      .positive()
      .describe('Which enrollment of this hardware (serial) in the org this is; an earlier one is retired'),
    enrolledAt: Timestamp,
    lastSeenAt: Timestamp,
    retiredAt: Timestamp.nullable(),
  })
  .meta({ id: 'Device' });
export type Device = z.infer<typeof Device>;
