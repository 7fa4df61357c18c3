import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import type { Db, Queryable } from './db';

/** Opens the embedded PostgreSQL: persisted in `dataDir`, or in memory when it is omitted. */
export async function openPglite(dataDir?: string): Promise<Db> {
  if (dataDir) await mkdir(dataDir, { recursive: true });
  const pg = await PGlite.create(dataDir ?? 'memory://');
  const query: Queryable['query'] = async (sql, params) =>
    (await pg.query<never>(sql, params as unknown[] | undefined)).rows;
  return {
    dialect: 'pglite',
    query,
    exec: async (sql) => {
      await pg.exec(sql);
    },
    transaction: (fn) =>
      pg.transaction((tx) =>
        fn({
          query: async (sql, params) => (await tx.query<never>(sql, params as unknown[] | undefined)).rows,
        }),
      ),
    close: () => pg.close(),
  };
}
