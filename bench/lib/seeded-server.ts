import { randomBytes } from 'node:crypto';
import { bootstrap, buildApp, createServices, migrate, openPglite } from '@fleetops/server';

/**
 * Runs as its own process: an in-memory server with `count` devices written straight into
 * the store, so that the client being measured does not share its core with the server.
 * Prints `{ url, token }` on stdout once listening.
 */
const count = Number(process.argv[2] ?? 10_000);
const db = await openPglite();
await migrate(db);
let url = '';
const services = createServices(db, { publicUrl: () => url });
const { org, adminToken } = await bootstrap(services);

function uuidv7(ms: number): string {
  const bytes = randomBytes(16);
  bytes.writeUIntBE(ms, 0, 6);
  bytes[6] = (bytes[6]! & 0x0f) | 0x70;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const h = bytes.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

const start = Date.now() - count;
const ids = Array.from({ length: count }, (_, i) => uuidv7(start + i));
const facts = ids.map((_, i) =>
  JSON.stringify({
    model: ['Pixel 8', 'Galaxy S23', 'Redmi Note 12', 'iPhone 15'][i % 4],
    brand: ['Google', 'Samsung', 'Xiaomi', 'Apple'][i % 4],
    os: i % 4 === 3 ? 'ios' : 'android',
    osVersion: i % 4 === 3 ? '17.5' : '14',
    serial: `BENCH${String(i).padStart(7, '0')}`,
    imei: null,
    meid: null,
    macAddress: '02:00:00:00:00:01',
    androidId: null,
    phoneNumber: null,
    networkType: 'wifi',
    wifiEnabled: true,
  }),
);
await db.query(
  `INSERT INTO devices (id, org_id, group_name, labels, mode, credential_hash, facts)
   SELECT id, $1, 'bench', '{}', 'COPE', 'bench-' || id, f::jsonb FROM unnest($2::uuid[], $3::text[]) AS t(id, f)`,
  [org.id, ids, facts],
);
const app = await buildApp({ services });
url = await app.listen({ port: 0, host: '127.0.0.1' });
process.stdout.write(`${JSON.stringify({ url, token: adminToken })}\n`);
process.on('SIGTERM', async () => {
  await app.close();
  await db.close();
  process.exit(0);
});
