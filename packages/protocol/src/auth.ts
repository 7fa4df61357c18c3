import { z } from 'zod';
import { PlainText, Timestamp, Uuid } from './common';

/** Roles in increasing order of power: each one can do what the ones before it can. */
export const Role = z.enum(['viewer', 'auditor', 'operator', 'admin']);
export type Role = z.infer<typeof Role>;

const rank: Record<Role, number> = { viewer: 0, auditor: 1, operator: 2, admin: 3 };

/** Whether `role` is at least `required`. */
export function roleAllows(role: Role, required: Role): boolean {
  return rank[role] >= rank[required];
}

export const Org = z
  .object({
    id: Uuid,
    name: z.string(),
    createdAt: Timestamp,
  })
  .meta({ id: 'Org' });
export type Org = z.infer<typeof Org>;

export const ApiToken = z
  .object({
    id: Uuid,
    name: z.string(),
    role: Role,
    prefix: z.string().describe('First characters of the secret, to recognise it'),
    createdAt: Timestamp,
    lastUsedAt: Timestamp.nullable(),
    revokedAt: Timestamp.nullable(),
  })
  .meta({ id: 'ApiToken' });
export type ApiToken = z.infer<typeof ApiToken>;

export const CreateApiTokenRequest = z.object({
  name: PlainText(100),
  role: Role,
});
export type CreateApiTokenRequest = z.infer<typeof CreateApiTokenRequest>;

/** A new token: the secret is shown in this answer only, and stored hashed. */
export const CreatedApiToken = ApiToken.extend({ token: z.string() }).meta({ id: 'CreatedApiToken' });
export type CreatedApiToken = z.infer<typeof CreatedApiToken>;

export const WhoAmI = z
  .object({
    org: Org,
    token: ApiToken.pick({ id: true, name: true, role: true, prefix: true }),
  })
  .meta({ id: 'WhoAmI' });
export type WhoAmI = z.infer<typeof WhoAmI>;
