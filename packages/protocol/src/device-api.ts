import { z } from 'zod';
import { CommandSigningKey } from './command-signing';
import { CommandResult, DeviceCommand } from './commands';
import { MultilineText, Uuid } from './common';
import { DeviceAppRules, DeviceAppScan } from './compliance';
import { ConsentGrants, DeviceFacts, DeviceState, InstalledApp, ManagementMode } from './device';
import { EffectivePolicy } from './policy';

export const MAX_APPS_PER_DEVICE = 2000;
export const MAX_POLL_WAIT_SECONDS = 30;

export const EnrollRequest = z.object({
  enrollmentToken: z.string().min(1).max(200),
  facts: DeviceFacts,
  requestId: z
    .uuid()
    .optional()
    .describe('Chosen by the device and kept across retries: a retried enrollment returns the same device'),
});
export type EnrollRequest = z.input<typeof EnrollRequest>;

/** The device credential is returned once, at enrollment, and stored hashed by the server. */
export const EnrollResponse = z
  .object({
    deviceId: Uuid,
    credential: z.string(),
    org: z.object({ id: Uuid, name: z.string() }),
    mode: ManagementMode,
    checkInIntervalSeconds: z.number().int().positive(),
    enrollmentGeneration: z
      .number()
      .int()
      .positive()
      .describe(
        'Which enrollment of this hardware (same serial) in the org this is, from 1; signed into every command',
      ),
    commandSigningKey: CommandSigningKey.describe(
      "The org's Ed25519 public key (base64 of its raw 32 bytes): every command must verify with it",
    ),
  })
  .meta({ id: 'EnrollResponse' });
export type EnrollResponse = z.infer<typeof EnrollResponse>;

/** The policy a device runs, as it reports it: its hash, and the fields it could not apply. */
export const AppliedPolicyReport = z.object({
  hash: z.string().max(128).describe('The `hash` of the effective policy the device applied'),
  failures: z
    .array(z.object({ path: z.string().max(400), reason: MultilineText(500) }))
    .max(200)
    .default([])
    .describe('Fields of the policy the device could not apply, e.g. nfcDisabled on a device without NFC'),
});

/** A check-in: each part is optional so a device sends only what changed. */
export const CheckInRequest = z.object({
  facts: DeviceFacts.optional(),
  apps: z.array(InstalledApp).max(MAX_APPS_PER_DEVICE).optional(),
  consent: ConsentGrants.optional(),
  state: DeviceState.optional(),
  policy: AppliedPolicyReport.optional(),
  appScan: DeviceAppScan.optional().describe(
    "The device's own scan of its apps against the blocklist it was sent",
  ),
});
export type CheckInRequest = z.input<typeof CheckInRequest>;

export const CheckInResponse = z
  .object({
    commands: z.array(DeviceCommand),
    checkInIntervalSeconds: z.number().int().positive(),
    policy: z
      .object({ hash: z.string(), settings: EffectivePolicy.shape.settings })
      .nullable()
      .default(null)
      .describe('The policy the device should run; null when none applies to it'),
    appRules: DeviceAppRules.optional().describe(
      'The blocklist to scan installed apps against; left out when the appScan sent was against the current one',
    ),
  })
  .meta({ id: 'CheckInResponse' });
export type CheckInResponse = z.infer<typeof CheckInResponse>;

export const PollQuery = z.object({
  wait: z.coerce
    .number()
    .int()
    .min(0)
    .max(MAX_POLL_WAIT_SECONDS)
    .default(0)
    .describe('Seconds to hold the request open while no command is pending'),
});

export const PollResponse = z.object({ commands: z.array(DeviceCommand) }).meta({ id: 'PollResponse' });
export type PollResponse = z.infer<typeof PollResponse>;

/** What the device reports for one command: acknowledged on receipt, then succeeded or failed. */
export const CommandResultRequest = z.object({
  status: z.enum(['acknowledged', 'succeeded', 'failed']),
  error: MultilineText(2000).optional(),
  state: DeviceState.optional(),
  result: CommandResult.optional().describe(
    'What the command produced, e.g. a LocationResult for locate; kept on the command',
  ),
});
export type CommandResultRequest = z.input<typeof CommandResultRequest>;

export const Ack = z.object({ ok: z.literal(true) }).meta({ id: 'Ack' });
