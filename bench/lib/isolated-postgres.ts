import { randomBytes } from 'node:crypto';
import { type Db, openPostgres } from '@fleetops/server';
import pg from 'pg';

/** The PostgreSQL the benchmarks use: FLEETOPS_TEST_DATABASE_URL, else a local `test` database. */
export const benchDatabaseUrl = () =>
  process.env.FLEETOPS_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/**
 * A schema of its own on `baseUrl`, dropped by `drop`, so a run never sees another's rows; `url`
 * reaches the same schema, for another process (a server, psql).
 */
export async function openIsolatedPostgres(
  baseUrl: string,
): Promise<{ db: Db; url: string; drop: () => Promise<void> }> {
  const schema = `bench_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  const url = new URL(baseUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  // libpq (psql) reads `+` literally: spaces go as %20.
  url.search = url.searchParams.toString().replaceAll('+', '%20');
  const drop = async () => {
    await admin.query(`DROP SCHEMA ${schema} CASCADE`);
    await admin.end();
  };
  try {
    return { db: await openPostgres(url.toString()), url: url.toString(), drop };
  } catch (error) {
    await drop();
    throw error;
  }
}
