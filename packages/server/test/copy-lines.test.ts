import type { Readable } from 'node:stream';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COPY_CONNECTIONS } from '../src/store/copy-lines';
import type { Db } from '../src/store/db';
import { openPostgres } from '../src/store/postgres';

const url = process.env.FLEETOPS_TEST_DATABASE_URL;

const text = async (stream: Readable) => {
  let all = '';
  for await (const chunk of stream) all += chunk;
  return all;
};

/** A copy far larger than socket buffers hold, read until its first bytes: it is still running. */
async function startedCopy(db: Db): Promise<Readable> {
  const stream = await db.copyLines!("SELECT repeat('x', 1000) FROM generate_series(1, 200000)", []);
  await new Promise((resolve) => stream.once('data', resolve));
  stream.pause();
  return stream;
}

describe.skipIf(!url)('streaming lines out of PostgreSQL with COPY', () => {
  let db: Db;
  beforeAll(async () => {
    db = await openPostgres(url!);
  });
  afterAll(() => db?.close());

  it('writes each row verbatim: quotes, commas, backslashes and non-ASCII as they are', async () => {
    const stream = await db.copyLines!(
      'SELECT v FROM unnest($1::text[]) WITH ORDINALITY AS t(v, n) ORDER BY n',
      [['{"a":"b, \\"c\\""}', 'x,"y"', 'back\\slash', 'é ü 漢', "it's"]],
    );
    expect(await text(stream)).toBe('{"a":"b, \\"c\\""}\nx,"y"\nback\\slash\né ü 漢\nit\'s\n');
  });

  it('takes parameters of each kind, and an empty result is empty', async () => {
    const stream = await db.copyLines!(
      "SELECT $1::int + $2::int || $3 || coalesce($4, '-') WHERE $5::boolean",
      [40, 2, ' answers', null, true],
    );
    expect(await text(stream)).toBe('42 answers-\n');
    expect(await text(await db.copyLines!('SELECT 1::text WHERE false', []))).toBe('');
  });

  it('gives its connection back when the reader stops early, however often (the pool has 4)', async () => {
    for (let i = 0; i < 12; i++) {
      const stream = await startedCopy(db);
      stream.destroy();
    }
    expect(await db.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
  });

  it('runs a few copies at once on connections of their own, and tells the next to come back', async () => {
    const running = await Promise.all(Array.from({ length: COPY_CONNECTIONS }, () => startedCopy(db)));
    const refused = await db.copyLines!('SELECT 1::text', []).catch((error: unknown) => error);
    expect(refused).toMatchObject({
      code: 'unavailable',
      status: 503,
      retryable: true,
      message: 'too many exports are running: retry in a few seconds',
      details: { retryAfterSeconds: expect.any(Number) },
    });
    for (const stream of running) stream.destroy();
    expect(await text(await db.copyLines!('SELECT 1::text', []))).toBe('1\n');
  });

  it('closes the connections of its copies with the store', async () => {
    const other = await openPostgres(url!);
    const pid = (await text(await other.copyLines!('SELECT pg_backend_pid()::text', []))).trim();
    await other.close();
    const watcher = new pg.Client({ connectionString: url });
    await watcher.connect();
    try {
      // A closed connection's backend exits within moments; an idle pooled one would stay 10 s.
      let alive = true;
      for (let tries = 0; alive && tries < 50; tries++) {
        const { rows } = await watcher.query('SELECT 1 FROM pg_stat_activity WHERE pid = $1', [pid]);
        alive = rows.length > 0;
        if (alive) await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(alive).toBe(false);
    } finally {
      await watcher.end();
    }
  });
});
