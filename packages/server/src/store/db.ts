import { AsyncLocalStorage } from 'node:async_hooks';
import type { Readable } from 'node:stream';

/** A row-returning SQL connection: the one dialect (PostgreSQL) over PGlite or a real server. */
export interface Queryable {
  query<Row = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<Row[]>;
}

/** Messages between the server processes that share a database (PostgreSQL LISTEN/NOTIFY). */
export interface Notifications {
  /** Calls `onPayload` for every message on `channel`; resolves once listening. */
  listen(channel: string, onPayload: (payload: string) => void): Promise<void>;
  notify(channel: string, payload: string): Promise<void>;
}

export interface Db extends Queryable {
  readonly dialect: 'pglite' | 'postgres';
  /** Present when other processes may share the store; absent for the embedded database. */
  readonly notifications?: Notifications;
  /**
   * Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. Every
   * `query` and `transaction` of this store made from `fn` (its async calls included) runs on that
   * same transaction: a nested transaction joins the outer one.
   */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /**
   * Streams the one text column of each row of `select`, newline-terminated, at the reader's pace
   * over a connection of its own (COPY on PostgreSQL); absent on PGlite, which reads in batches.
   */
  copyLines?(select: string, params: readonly unknown[]): Promise<Readable>;
  /** Runs a script of several statements (migrations). */
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
}

/** Takes the first row, or undefined. */
export async function one<Row>(
  q: Queryable,
  sql: string,
  params?: readonly unknown[],
): Promise<Row | undefined> {
  const rows = await q.query<Row>(sql, params);
  return rows[0];
}

/**
 * The transaction the current async context runs in, per store. Code called from a transaction's
 * callback uses it without being handed it; work that outlives the transaction is back at the
 * top level once it ended.
 */
export class AmbientTransaction {
  private readonly current = new AsyncLocalStorage<{ tx: Queryable; open: boolean }>();

  /** The open transaction of the calling context, if any. */
  active(): Queryable | undefined {
    const scope = this.current.getStore();
    return scope?.open ? scope.tx : undefined;
  }

  /** Runs `fn` with `tx` as the ambient transaction of everything it calls. */
  async run<T>(tx: Queryable, fn: (tx: Queryable) => Promise<T>): Promise<T> {
    const scope = { tx, open: true };
    try {
      return await this.current.run(scope, () => fn(tx));
    } finally {
      scope.open = false;
    }
  }
}
