import { DEFAULT_RESTRICTIONS, Device, DeviceFacts } from '@fleetops/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createServices } from '../src/services';
import type { Db } from '../src/store/db';
import { migrate, migrations } from '../src/store/migrations';
import { openPglite } from '../src/store/pglite';
import { facts } from './harness';

const ORG = '0193a5c0-0000-7000-8000-000000000001';
const DEVICE = '0193a5c0-0000-7000-8000-000000000002';

describe('a store created before signed commands', () => {
  let db: Db;

  beforeAll(async () => {
    db = await openPglite();
    await db.exec(migrations.find((m) => m.version === 1)!.sql);
    await db.exec(`CREATE TABLE schema_migrations (
      version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now());
      INSERT INTO schema_migrations (version, name) VALUES (1, 'first');`);
    await db.query("INSERT INTO orgs (id, name) VALUES ($1, 'old')", [ORG]);
    await db.query(
      `INSERT INTO devices (id, org_id, group_name, mode, credential_hash, facts, state)
       VALUES ($1, $2, 'default', 'COPE', 'hash', $3, '{"locked": true}')`,
      [DEVICE, ORG, DeviceFacts.parse(facts())],
    );
    expect(await migrate(db)).toEqual(migrations.filter((m) => m.version > 1).map((m) => m.version));
  });

  afterAll(() => db?.close());

  it('gives its devices the default restrictions and keeps what they reported', async () => {
    const services = createServices(db, { publicUrl: () => 'http://localhost' });
    const device = await services.devices.get(ORG, DEVICE);
    expect(device.state).toEqual({ locked: true, restrictions: DEFAULT_RESTRICTIONS });
    // What the API answers must encode against the contract.
    expect(z.safeEncode(Device, device).error).toBeUndefined();
  });

  it('gives an existing org one signing key, even when two servers race to create it', async () => {
    const replica = () => createServices(db, { publicUrl: () => 'http://localhost' });
    const [a, b] = await Promise.all([
      replica().orgs.commandSigningKey(ORG),
      replica().orgs.commandSigningKey(ORG),
    ]);
    expect(Buffer.from(a.publicKey, 'base64')).toHaveLength(32);
    expect(b.publicKey).toBe(a.publicKey);
    expect((await replica().orgs.commandSigningKey(ORG)).publicKey).toBe(a.publicKey);
  });
});
