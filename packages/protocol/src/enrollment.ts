import { z } from 'zod';
import { GroupName, Timestamp, Uuid } from './common';
import { ManagementMode } from './device';

export const EnrollmentTokenStatus = z.enum(['active', 'expired', 'exhausted', 'revoked']);
export type EnrollmentTokenStatus = z.infer<typeof EnrollmentTokenStatus>;

export const EnrollmentToken = z
  .object({
    id: Uuid,
    group: GroupName,
    mode: ManagementMode,
    status: EnrollmentTokenStatus,
    prefix: z.string(),
    uses: z.number().int().nonnegative(),
    maxUses: z.number().int().positive().nullable(),
    expiresAt: Timestamp,
    createdAt: Timestamp,
    revokedAt: Timestamp.nullable(),
  })
  .meta({ id: 'EnrollmentToken' });
export type EnrollmentToken = z.infer<typeof EnrollmentToken>;

export const MAX_ENROLLMENT_TOKEN_TTL_SECONDS = 365 * 24 * 3600;

export const CreateEnrollmentTokenRequest = z.object({
  group: GroupName.default('default'),
  mode: ManagementMode.default('COPE'),
  expiresInSeconds: z
    .number()
    .int()
    .min(60)
    .max(MAX_ENROLLMENT_TOKEN_TTL_SECONDS)
    .default(7 * 24 * 3600),
  maxUses: z.number().int().positive().max(1_000_000).nullable().default(null),
});
export type CreateEnrollmentTokenRequest = z.input<typeof CreateEnrollmentTokenRequest>;

/** What a device needs to enroll; rendered as a QR code for the device to scan. */
export const EnrollmentPayload = z
  .object({
    v: z.literal(1),
    server: z.url(),
    token: z.string(),
    mode: ManagementMode,
  })
  .meta({ id: 'EnrollmentPayload' });
export type EnrollmentPayload = z.infer<typeof EnrollmentPayload>;

/** A new enrollment token: the secret and its payload appear in this answer only. */
export const CreatedEnrollmentToken = EnrollmentToken.extend({
  token: z.string(),
  payload: EnrollmentPayload,
}).meta({ id: 'CreatedEnrollmentToken' });
export type CreatedEnrollmentToken = z.infer<typeof CreatedEnrollmentToken>;
