import type { CreateUserRequest, ImportUsersRequest, ImportUsersResult, User } from '@fleetops/protocol';
import type { z } from 'zod';
import { ApiError } from '../../errors';
import { one, type Queryable } from '../../store/db';
import { uuidv7 } from '../../store/ids';
import { readUser } from './rows';

type NewUser = z.output<typeof CreateUserRequest>;
type ImportRow = z.output<typeof ImportUsersRequest>['users'][number];

/** E-mail addresses are unique per org whatever their case: a second account for one is refused. */
const INSERT_USERS = `INSERT INTO users (id, org_id, email, name, phone, external_id)
  SELECT r.id, $1, r.email, r.name, r.phone, r.external_id
  FROM unnest($2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[]) AS r(id, email, name, phone, external_id)
  ON CONFLICT (org_id, lower(email)) WHERE email IS NOT NULL DO NOTHING
  RETURNING id`;

const columns = (ids: string[], users: NewUser[]) => [
  ids,
  users.map((u) => u.email),
  users.map((u) => u.name),
  users.map((u) => u.phone ?? null),
  users.map((u) => u.externalId ?? null),
];

/** The ids of the accounts that already hold these e-mail addresses, by position in `emails`. */
async function holdersOf(q: Queryable, orgId: string, emails: string[]): Promise<Map<number, string>> {
  const rows = await q.query<{ n: string; id: string }>(
    `SELECT r.n, u.id FROM unnest($2::text[]) WITH ORDINALITY AS r(email, n)
     JOIN users u ON u.org_id = $1 AND lower(u.email) = lower(r.email)`,
    [orgId, emails],
  );
  return new Map(rows.map((row) => [Number(row.n) - 1, row.id]));
}

/** Opens one account; 409 naming the e-mail when the org already has an account for it. */
export async function createUser(q: Queryable, orgId: string, input: NewUser): Promise<User> {
  const id = uuidv7();
  const inserted = await one<{ id: string }>(q, INSERT_USERS, [orgId, ...columns([id], [input])]);
  if (!inserted) {
    const holder = (await holdersOf(q, orgId, [input.email])).get(0);
    throw new ApiError('conflict', `a user with e-mail ${input.email} already exists (${holder})`, {
      id: holder,
    });
  }
  return readUser(q, orgId, id);
}

/**
 * Opens the accounts of the rows (already validated as a whole) in one statement. Rows whose
 * e-mail already has an account, including one opened concurrently, are left as they are and
 * reported as existing.
 */
export async function importUsers(
  q: Queryable,
  orgId: string,
  rows: ImportRow[],
): Promise<ImportUsersResult> {
  const ids = rows.map(() => uuidv7());
  const inserted = await q.query<{ id: string }>(INSERT_USERS, [orgId, ...columns(ids, rows)]);
  const created = new Set(inserted.map((row) => row.id));
  const skipped = rows.filter((_, i) => !created.has(ids[i]!));
  const holders =
    skipped.length === 0
      ? new Map()
      : await holdersOf(
          q,
          orgId,
          skipped.map((row) => row.email),
        );
  return {
    created: created.size,
    existing: skipped.map((row, i) => ({ email: row.email, id: holders.get(i)!, line: row.line ?? null })),
  };
}
