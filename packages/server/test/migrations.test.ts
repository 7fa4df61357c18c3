import { expect, it } from 'vitest';
import { migrate, migrations } from '../src/store/migrations';
import { describeStores } from './harness';

describeStores('store', (server) => {
  it('has applied every migration once, and applying again changes nothing', async () => {
    const applied = await server.db.query<{ version: number }>(
      'SELECT version FROM schema_migrations ORDER BY version',
    );
    expect(applied.map((row) => row.version)).toEqual(migrations.map((m) => m.version));
    expect(await migrate(server.db)).toEqual([]);
    expect(await Promise.all([migrate(server.db), migrate(server.db)])).toEqual([[], []]);
  });

  it('rolls a transaction back when it throws', async () => {
    const org = await server.newOrg();
    await expect(
      server.db.transaction(async (tx) => {
        await tx.query("UPDATE orgs SET name = 'renamed' WHERE id = $1", [org.id]);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    const rows = await server.db.query<{ name: string }>('SELECT name FROM orgs WHERE id = $1', [org.id]);
    expect(rows[0]!.name).not.toBe('renamed');
  });
});
