import { ApiError } from '../errors';

/** Cursors are opaque to clients: the keyset position of the last row, base64url-encoded. */
export function encodeCursor(lastId: string): string {
  return Buffer.from(JSON.stringify({ after: lastId })).toString('base64url');
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const MAX_BIGINT = 2n ** 63n - 1n;

/** A PostgreSQL bigint id (an identity, a seq) as decimal text: 19 digits may still be past its range. */
export const BIGINT_ID = {
  test: (value: string) => /^\d{1,19}$/.test(value) && BigInt(value) <= MAX_BIGINT,
};

/** The keyset position in `cursor`; `key` must accept it (a UUID unless told otherwise). */
export function decodeCursor(
  cursor: string | undefined,
  key: { test(value: string): boolean } = UUID,
): string | undefined {
  if (cursor === undefined) return undefined;
  try {
    const { after } = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { after?: unknown };
    if (typeof after === 'string' && key.test(after)) return after;
  } catch {}
  throw new ApiError('bad_request', 'invalid cursor: pass the nextCursor of a previous page unchanged');
}

/** Splits the `limit + 1` rows a keyset query fetched into a page and its next cursor. */
export function toPage<Row extends object, Item>(
  rows: Row[],
  limit: number,
  map: (row: Row) => Item,
  keyOf: (row: Row) => string = (row) => (row as { id: string }).id,
) {
  const more = rows.length > limit;
  const pageRows = more ? rows.slice(0, limit) : rows;
  return {
    data: pageRows.map(map),
    nextCursor: more ? encodeCursor(keyOf(pageRows[pageRows.length - 1]!)) : null,
  };
}
