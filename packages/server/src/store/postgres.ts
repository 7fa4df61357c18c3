import pg from 'pg';
import { createCopyStreams } from './copy-lines';
import { AmbientTransaction, type Db, type Notifications, type Queryable } from './db';

export interface PostgresOptions {
  /**
   * Told of errors on idle pooled connections (the server restarted, a connection was killed);
   * the pool replaces such connections by itself, so these are reports, not failures.
   */
  onIdleError?: (error: Error) => void;
}

const reportToStderr = (error: Error) =>
  process.stderr.write(`fleetops: PostgreSQL connection lost (${error.message}); reconnecting\n`);

/** Opens a pool on a real PostgreSQL server. */
export async function openPostgres(connectionString: string, options: PostgresOptions = {}): Promise<Db> {
  // A request that waits this long for a connection fails rather than hanging on.
  const pool = new pg.Pool({ connectionString, max: 10, connectionTimeoutMillis: 30_000 });
  pool.on('error', options.onIdleError ?? reportToStderr);
  // Fail at start, with the server's own message, rather than on the first request.
  const probe = await pool.connect();
  probe.release();
  const ambient = new AmbientTransaction();
  const query: Queryable['query'] = async (sql, params) => {
    const tx = ambient.active();
    if (tx) return tx.query(sql, params);
    return (await pool.query(sql, params as unknown[] | undefined)).rows;
  };
  const copies = createCopyStreams(connectionString, options.onIdleError ?? reportToStderr);
  // NOTIFY inside a transaction goes out with its commit, and not at all if it rolls back.
  const listener = createListener(connectionString, query, options.onIdleError ?? reportToStderr);
  return {
    dialect: 'postgres',
    query,
    copyLines: copies.lines,
    exec: async (sql) => {
      await pool.query(sql);
    },
    transaction: async (fn) => {
      const outer = ambient.active();
      if (outer) return fn(outer);
      const client = await pool.connect();
      let broken: Error | undefined;
      try {
        await client.query('BEGIN');
        const result = await ambient.run(
          { query: async (sql, params) => (await client.query(sql, params as unknown[] | undefined)).rows },
          fn,
        );
        await client.query('COMMIT');
        return result;
      } catch (error) {
        // A failed ROLLBACK means the connection is gone: keep the original error, drop the client.
        await client.query('ROLLBACK').catch((rollbackError: Error) => {
          broken = rollbackError;
        });
        throw error;
      } finally {
        client.release(broken);
      }
    },
    notifications: listener.notifications,
    close: async () => {
      await listener.close();
      await copies.close();
      await pool.end();
    },
  };
}

const RECONNECT_MS = 1000;

/**
 * LISTEN needs a connection of its own, outside the pool. It is opened on the first
 * `listen`, and reopened (listening again) when it drops.
 */
function createListener(
  connectionString: string,
  query: Queryable['query'],
  onError: (error: Error) => void,
) {
  const handlers = new Map<string, (payload: string) => void>();
  let client: pg.Client | undefined;
  let closed = false;

  const connect = async (): Promise<void> => {
    const next = new pg.Client({ connectionString });
    next.on('notification', (message) => handlers.get(message.channel)?.(message.payload ?? ''));
    next.on('error', (error) => {
      onError(error);
      client = undefined;
      next.end().catch(() => {});
      if (!closed) setTimeout(() => connect().catch(onError), RECONNECT_MS).unref();
    });
    await next.connect();
    for (const channel of handlers.keys()) await next.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
    client = next;
  };

  const notifications: Notifications = {
    async listen(channel, onPayload) {
      handlers.set(channel, onPayload);
      if (!client) await connect();
      else await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
    },
    async notify(channel, payload) {
      await query('SELECT pg_notify($1, $2)', [channel, payload]);
    },
  };
  return {
    notifications,
    close: async () => {
      closed = true;
      await client?.end();
    },
  };
}
