import type { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../src/store/db';
import { openPostgres } from '../src/store/postgres';

const url = process.env.FLEETOPS_TEST_DATABASE_URL;

const text = async (stream: Readable) => {
  let all = '';
  for await (const chunk of stream) all += chunk;
  return all;
};

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

  it('gives its connection back when the reader stops early, however often (the pool has 10)', async () => {
    for (let i = 0; i < 12; i++) {
      // Far more than socket buffers hold: the COPY is still running when the reader leaves.
      const stream = await db.copyLines!("SELECT repeat('x', 1000) FROM generate_series(1, 200000)", []);
      await new Promise((resolve) => stream.once('data', resolve));
      stream.destroy();
    }
    expect(await db.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
  });
});
