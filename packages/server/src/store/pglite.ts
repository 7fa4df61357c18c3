import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { AmbientTransaction, type Db, type Queryable } from './db';

/** Opens the embedded PostgreSQL: persisted in `dataDir`, or in memory when it is omitted. */
export async function openPglite(dataDir?: string): Promise<Db> {
  if (dataDir) await mkdir(dataDir, { recursive: true });
  const pg = await PGlite.create(dataDir ?? 'memory://');
  // One connection: a top-level query waits for an open transaction to end, so code running
  // inside one must use it.
  const ambient = new AmbientTransaction();
  const query: Queryable['query'] = async (sql, params) => {
    const tx = ambient.active();
    if (tx) return tx.query(sql, params);
    return (await pg.query<never>(sql, params as unknown[] | undefined)).rows;
  };
  return {
    dialect: 'pglite',
    query,
    exec: async (sql) => {
      await pg.exec(sql);
    },
    transaction: (fn) => {
      const outer = ambient.active();
      if (outer) return fn(outer);
      return pg.transaction((tx) =>
        ambient.run(
          {
            query: async (sql, params) => (await tx.query<never>(sql, params as unknown[] | undefined)).rows,
          },
          fn,
        ),
      );
    },
    close: () => pg.close(),
  };
}
