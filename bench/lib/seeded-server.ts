import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { bootstrap, buildApp, createServices, migrate, openPglite, openPostgres } from '@fleetops/server';
import { rawInsertEvents } from './raw-event-insert.ts';
import { seedDevices } from './seed-devices.ts';

/**
 * Runs as its own process: an in-memory server with `count` devices written straight into
 * the store, so that the client being measured does not share its core with the server.
 * Prints `{ url, token }` on stdout once listening.
 *
 * `--check-in-interval <s>` sets the interval the server gives devices; `--data-dir <dir>` keeps
 * PGlite in that (empty) directory, as `fleetops server start` does, rather than in memory;
 * `--database-url <url>` uses that (empty) PostgreSQL schema instead. Lines on stdin, each
 * answered by a line:
 * - `reset-locks` marks every device unlocked in the store (`ok`), so that a lock of the same
 *   devices can be measured again: no command unlocks a device;
 * - `count-events` answers the number of device events stored;
 * - `raw-insert-events <rows> <batch> <concurrency>` answers the milliseconds the store takes to
 *   write the last `rows` events again with plain INSERTs of `batch` rows, `concurrency` at a
 *   time (see raw-event-insert.ts).
 */
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    'check-in-interval': { type: 'string' },
    'data-dir': { type: 'string' },
    'database-url': { type: 'string' },
  },
});
const count = Number(positionals[0] ?? 10_000);
const checkInInterval = values['check-in-interval'];
const databaseUrl = values['database-url'];

const db = databaseUrl ? await openPostgres(databaseUrl) : await openPglite(values['data-dir']);
await migrate(db);
let url = '';
const services = createServices(db, {
  publicUrl: () => url,
  ...(checkInInterval && { checkInIntervalSeconds: Number(checkInInterval) }),
});
const { org, adminToken } = await bootstrap(services);
await seedDevices(db, org.id, count);
const app = await buildApp({ services });
url = await app.listen({ port: 0, host: '127.0.0.1' });
process.stdout.write(`${JSON.stringify({ url, token: adminToken })}\n`);

const answers: Record<string, (...args: string[]) => Promise<string>> = {
  'reset-locks': async () => {
    await db.query(
      `UPDATE devices SET state = jsonb_set(state, '{locked}', 'false') WHERE state ->> 'locked' = 'true'`,
    );
    return 'ok';
  },
  'count-events': async () => {
    const [row] = await db.query<{ n: string }>('SELECT count(*)::text AS n FROM device_events');
    return row!.n;
  },
  'raw-insert-events': async (rows, batch, concurrency) =>
    String(await rawInsertEvents(db, Number(rows), Number(batch), Number(concurrency))),
};

createInterface({ input: process.stdin }).on('line', async (line) => {
  const [name, ...args] = line.split(' ');
  const answer = answers[name!];
  if (answer) process.stdout.write(`${await answer(...args)}\n`);
});
process.on('SIGTERM', async () => {
  await app.close();
  await db.close();
  process.exit(0);
});
