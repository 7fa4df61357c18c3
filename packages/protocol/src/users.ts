import { z } from 'zod';
import { PageQuery, PlainText, Timestamp, Uuid } from './common';

/**
 * The people who use managed devices. Accounts are opened by an administrator (seed 001);
 * disabling one takes effect at once: its devices' credentials are refused from the next call.
 */
export const UserStatus = z.enum(['active', 'disabled', 'offboarded']);
export type UserStatus = z.infer<typeof UserStatus>;

const Email = z.email({ message: 'not a valid e-mail address' }).max(254);
const Phone = z.string().regex(/^\+[1-9]\d{6,14}$/, 'a phone number is in E.164 form, e.g. +14155550100');

export const User = z
  .object({
    id: Uuid,
    email: Email.nullable().describe('null once the personal data was erased'),
    name: z.string().nullable().describe('null once the personal data was erased'),
    phone: z.string().nullable(),
    externalId: z.string().nullable().describe('The id of this person in an HR or identity system'),
    status: UserStatus,
    deviceCount: z.number().int().nonnegative().describe('Active devices this user owns'),
    createdAt: Timestamp,
    disabledAt: Timestamp.nullable(),
    offboardedAt: Timestamp.nullable(),
    erasedAt: Timestamp.nullable().describe('When the personal data was erased'),
  })
  .meta({ id: 'User' });
export type User = z.infer<typeof User>;

export const CreateUserRequest = z
  .object({
    email: Email,
    name: PlainText(200),
    phone: Phone.optional(),
    externalId: PlainText(200).optional(),
  })
  .meta({ id: 'CreateUserRequest' });
export type CreateUserRequest = z.input<typeof CreateUserRequest>;

export const MAX_USERS_PER_IMPORT = 10_000;

/**
 * Users to open at once, e.g. from an HR export. All or nothing: when any row is invalid nothing
 * is created and every bad row is listed (by `line` when given). Rows whose e-mail already has an
 * account are counted as existing, so importing the same file again creates nothing.
 */
export const ImportUsersRequest = z.object({
  users: z
    .array(CreateUserRequest.extend({ line: z.number().int().positive().optional() }))
    .min(1, 'nothing to import')
    .max(MAX_USERS_PER_IMPORT, `at most ${MAX_USERS_PER_IMPORT} users per import: split the file`),
});
export type ImportUsersRequest = z.input<typeof ImportUsersRequest>;

export const ImportUsersResult = z
  .object({
    created: z.number().int().nonnegative(),
    existing: z
      .array(z.object({ email: z.string(), id: Uuid, line: z.number().int().positive().nullable() }))
      .describe('Rows whose e-mail already had an account: left as they are'),
  })
  .meta({ id: 'ImportUsersResult' });
export type ImportUsersResult = z.infer<typeof ImportUsersResult>;

export const UserListQuery = PageQuery.extend({
  status: z
    .enum([...UserStatus.options, 'all'])
    .default('all')
    .optional(),
  email: z.string().min(1).max(254).optional().describe('Exact e-mail address, case-insensitive'),
});
export type UserListQuery = z.input<typeof UserListQuery>;

export const OffboardUserRequest = z
  .object({
    retireDevices: z.boolean().default(false).describe("Retire (unenroll) the user's devices"),
    erasePersonalData: z
      .boolean()
      .default(false)
      .describe(
        "Erase the user's name, e-mail and phone, and delete or anonymize (org retentionAction) the events of their devices, at once",
      ),
  })
  .meta({ id: 'OffboardUserRequest' });
export type OffboardUserRequest = z.input<typeof OffboardUserRequest>;

export const OffboardUserResult = z
  .object({
    user: User,
    devicesRetired: z.number().int().nonnegative(),
    eventsDeleted: z.number().int().nonnegative(),
    eventsAnonymized: z.number().int().nonnegative(),
  })
  .meta({ id: 'OffboardUserResult' });
export type OffboardUserResult = z.infer<typeof OffboardUserResult>;

/**
 * The user's data export (right of access) is streamed as one JSON object with these keys, in
 * this order: `user`, `devices` (each with its apps), `events`, `commands`, `activity`.
 */
export const USER_DATA_EXPORT_KEYS = ['user', 'devices', 'events', 'commands', 'activity'] as const;
