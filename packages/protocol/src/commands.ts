import { z } from 'zod';
import { MultilineText, Timestamp, Uuid } from './common';

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

export const LockParams = z.object({
  message: MultilineText(500).optional().describe('Shown on the lock screen'),
});

/** Each command type with the schema of its parameters. */
export const CommandRequest = z.discriminatedUnion('type', [
  z.object({ type: z.literal('lock'), params: LockParams.default({}) }),
]);
export type CommandRequest = z.input<typeof CommandRequest>;
export const CommandType = z.enum(['lock']);
export type CommandType = z.infer<typeof CommandType>;

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

export const Command = z
  .object({
    id: Uuid,
    deviceId: Uuid,
    type: CommandType,
    params: z.record(z.string(), z.unknown()),
    status: CommandStatus,
    error: z.string().nullable(),
    createdBy: z.string().describe('Name of the API token that sent it'),
    createdAt: Timestamp,
    deliveredAt: Timestamp.nullable(),
    acknowledgedAt: Timestamp.nullable(),
    completedAt: Timestamp.nullable(),
    expiresAt: Timestamp,
  })
  .meta({ id: 'Command' });
export type Command = z.infer<typeof Command>;

/** A command as the device receives it. */
export const DeviceCommand = z
  .object({
    id: Uuid,
    type: CommandType,
    params: z.record(z.string(), z.unknown()),
    issuedAt: Timestamp,
    expiresAt: Timestamp,
  })
  .meta({ id: 'DeviceCommand' });
export type DeviceCommand = z.infer<typeof DeviceCommand>;
