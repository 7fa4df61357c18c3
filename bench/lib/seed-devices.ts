import { randomBytes } from 'node:crypto';
import type { Queryable } from '@fleetops/server';

/** Rows per INSERT: a few MB of facts per statement, whatever the fleet size. */
const BATCH = 25_000;

function uuidv7(ms: number): string {
  const bytes = randomBytes(16);
  bytes.writeUIntBE(ms, 0, 6);
  bytes[6] = (bytes[6]! & 0x0f) | 0x70;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const h = bytes.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function factsOf(i: number): string {
  return JSON.stringify({
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
  });
}

/**
 * Writes `count` active, unlocked devices of group `group` straight into the store, with
 * time-ordered ids as enrollment would give them: no enrollment, no check-ins.
 */
export async function seedDevices(db: Queryable, orgId: string, count: number, group = 'bench') {
  const start = Date.now() - count;
  for (let from = 0; from < count; from += BATCH) {
    const indexes = Array.from({ length: Math.min(BATCH, count - from) }, (_, i) => from + i);
    await db.query(
      `INSERT INTO devices (id, org_id, group_name, labels, mode, credential_hash, facts)
       SELECT id, $1, $2, '{}', 'COPE', 'bench-' || id, f::jsonb FROM unnest($3::uuid[], $4::text[]) AS t(id, f)`,
      [orgId, group, indexes.map((i) => uuidv7(start + i)), indexes.map(factsOf)],
    );
  }
}
