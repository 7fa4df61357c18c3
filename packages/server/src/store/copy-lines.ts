import type { Readable } from 'node:stream';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { ApiError } from '../errors';

/**
 * Exports streamed at once per server. Each holds its connection for as long as its client takes
 * to read, so they get a pool of their own: slow readers never starve the requests of the API.
 */
export const COPY_CONNECTIONS = 4;
/** How long an export waits for one of those connections before it is told to come back. */
const COPY_CONNECT_WAIT_MS = 2000;
const COPY_RETRY_AFTER_SECONDS = 5;

/** The pool of COPY streams: opened on the first export, closed with the store. */
export function createCopyStreams(connectionString: string, onIdleError: (error: Error) => void) {
  let pool: pg.Pool | undefined;
  return {
    lines(select: string, params: readonly unknown[]): Promise<Readable> {
      if (!pool) {
        pool = new pg.Pool({
          connectionString,
          max: COPY_CONNECTIONS,
          connectionTimeoutMillis: COPY_CONNECT_WAIT_MS,
        });
        pool.on('error', onIdleError);
      }
      return copyLines(pool, select, params);
    },
    close: async () => {
      await pool?.end();
    },
  };
}

/** A connection of `pool`, or 503 when none came free in time (pg-pool's timeout message). */
async function connect(pool: pg.Pool): Promise<pg.PoolClient> {
  try {
    return await pool.connect();
  } catch (error) {
    if (!(error as Error).message.startsWith('timeout exceeded when trying to connect')) throw error;
    throw new ApiError(
      'unavailable',
      'too many exports are running: retry in a few seconds',
      { retryAfterSeconds: COPY_RETRY_AFTER_SECONDS },
      true,
    );
  }
}

/** A value as an SQL literal: COPY takes no bind parameters. Arrays become text array literals. */
function literal(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (Array.isArray(value)) {
    const items = value.map((item) => `"${String(item).replace(/[\\"]/g, '\\$&')}"`);
    return pg.escapeLiteral(`{${items.join(',')}}`);
  }
  if (value instanceof Date) return pg.escapeLiteral(value.toISOString());
  return pg.escapeLiteral(String(value));
}

/** `sql` with its $n placeholders replaced by the literals of `params` (none may sit in a string literal). */
export function inlineParams(sql: string, params: readonly unknown[]): string {
  return sql.replace(/\$(\d+)/g, (_, n: string) => literal(params[Number(n) - 1]));
}

/**
 * Streams the one text column of each row of `select`, each row's text verbatim and followed by a
 * newline, on a pooled connection of its own. CSV mode with quote and delimiter characters no row
 * contains writes values as they are: rows must not contain newlines, \x01 or \x02. The socket is
 * read only as fast as the stream is, and a reader that stops early closes the connection.
 */
export async function copyLines(
  pool: pg.Pool,
  select: string,
  params: readonly unknown[],
): Promise<Readable> {
  const client = await connect(pool);
  let released = false;
  const release = (error?: Error) => {
    if (released) return;
    released = true;
    client.release(error);
  };
  try {
    const stream = client.query(
      copyTo(
        `COPY (${inlineParams(select, params)}) TO STDOUT (FORMAT csv, QUOTE e'\\x01', DELIMITER e'\\x02')`,
      ),
    );
    stream.once('end', () => release());
    stream.once('error', (error) => release(error));
    // Still copying when closed: the connection is mid-COPY, so it is closed rather than reused.
    stream.once('close', () => release(new Error('COPY stopped before its end')));
    return stream;
  } catch (error) {
    release(error as Error);
    throw error;
  }
}
