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
  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
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
