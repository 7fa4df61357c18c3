import type { Org } from '@fleetops/protocol';
import { one, type Queryable } from '../store/db';
import { uuidv7 } from '../store/ids';
import { iso } from '../store/time';

interface OrgRow {
  id: string;
  name: string;
  created_at: Date;
}

const toOrg = (row: OrgRow): Org => ({ id: row.id, name: row.name, createdAt: iso(row.created_at) });

export function createOrgsRepository(db: Queryable) {
  return {
    async create(name: string, q: Queryable = db): Promise<Org> {
      const row = await one<OrgRow>(q, 'INSERT INTO orgs (id, name) VALUES ($1, $2) RETURNING *', [
        uuidv7(),
        name,
      ]);
      return toOrg(row!);
    },
    async get(id: string): Promise<Org | undefined> {
      const row = await one<OrgRow>(db, 'SELECT * FROM orgs WHERE id = $1', [id]);
      return row && toOrg(row);
    },
    /** The org created first: the one a fresh server bootstraps. */
    async first(): Promise<Org | undefined> {
      const row = await one<OrgRow>(db, 'SELECT * FROM orgs ORDER BY id LIMIT 1');
      return row && toOrg(row);
    },
  };
}
export type OrgsRepository = ReturnType<typeof createOrgsRepository>;
