import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { bootstrap, buildApp, createServices, migrate, openPglite } from '@fleetops/server';
import { seedDevices } from './seed-devices.ts';

/**
 * Runs as its own process: an in-memory server with `count` devices written straight into
 * the store, so that the client being measured does not share its core with the server.
 * Prints `{ url, token }` on stdout once listening.
 *
 * `--check-in-interval <s>` sets the interval the server gives devices. A line `reset-locks`
 * on stdin marks every device unlocked in the store (answered by a line `ok`), so that a
 * lock of the same devices can be measured again: no command unlocks a device.
 */
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { 'check-in-interval': { type: 'string' } },
});
const count = Number(positionals[0] ?? 10_000);
const checkInInterval = values['check-in-interval'];

const db = await openPglite();
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

createInterface({ input: process.stdin }).on('line', async (line) => {
  if (line !== 'reset-locks') return;
  await db.query(
    `UPDATE devices SET state = jsonb_set(state, '{locked}', 'false') WHERE state ->> 'locked' = 'true'`,
  );
  process.stdout.write('ok\n');
});
process.on('SIGTERM', async () => {
  await app.close();
  await db.close();
  process.exit(0);
});
