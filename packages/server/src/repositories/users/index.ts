import type {
  CreateUserRequest,
  ImportUsersRequest,
  ImportUsersResult,
  OffboardUserRequest,
  OffboardUserResult,
  PageOf,
  User,
  UserListQuery,
} from '@fleetops/protocol';
import type { z } from 'zod';
import { decodeCursor, toPage } from '../../store/cursor';
import type { Db, Queryable } from '../../store/db';
import { createUser, importUsers } from './create';
import { exportUserData } from './data-export';
import { offboardUser } from './offboard';
import { readUser, toUser, USER_COLUMNS, type UserRow } from './rows';
import { disableUser, enableUser } from './status';

export { ImportUsersBody } from './import-rows';

type ListQuery = z.output<typeof UserListQuery>;

/** The people who use the org's devices: accounts opened, disabled and offboarded by administrators. */
export function createUsersRepository(db: Db) {
  return {
    async list(orgId: string, query: ListQuery): Promise<PageOf<User>> {
      const params: unknown[] = [orgId];
      const clauses = ['u.org_id = $1'];
      const add = (clause: (p: string) => string, value: unknown) => {
        params.push(value);
        clauses.push(clause(`$${params.length}`));
      };
      if (query.status && query.status !== 'all') add((p) => `u.status = ${p}`, query.status);
      if (query.email) add((p) => `lower(u.email) = lower(${p})`, query.email);
      const after = decodeCursor(query.cursor);
      if (after) add((p) => `u.id > ${p}::uuid`, after);
      params.push(query.limit + 1);
      const rows = await db.query<UserRow>(
        `SELECT ${USER_COLUMNS} FROM users u WHERE ${clauses.join(' AND ')} ORDER BY u.id LIMIT $${params.length}`,
        params,
      );
      return toPage(rows, query.limit, toUser);
    },

    get: (orgId: string, id: string, q: Queryable = db): Promise<User> => readUser(q, orgId, id),

    create: (orgId: string, input: z.output<typeof CreateUserRequest>, q: Queryable = db): Promise<User> =>
      createUser(q, orgId, input),

    import: (
      orgId: string,
      rows: z.output<typeof ImportUsersRequest>['users'],
      q: Queryable = db,
    ): Promise<ImportUsersResult> => importUsers(q, orgId, rows),

    disable: (orgId: string, id: string, q: Queryable = db): Promise<User> => disableUser(q, orgId, id),

    enable: (orgId: string, id: string, q: Queryable = db): Promise<User> => enableUser(q, orgId, id),

    /** Offboards in `q`'s transaction, or in one of its own. */
    offboard: (
      orgId: string,
      id: string,
      options: z.output<typeof OffboardUserRequest>,
      q?: Queryable,
    ): Promise<OffboardUserResult> => {
      const run = (tx: Queryable) => offboardUser(tx, orgId, id, options);
      return q ? run(q) : db.transaction(run);
    },

    /** Everything stored about the user, streamed as one JSON object (see exportUserData). */
    exportData: (orgId: string, id: string) => exportUserData(db, orgId, id),
  };
}
export type UsersRepository = ReturnType<typeof createUsersRepository>;
