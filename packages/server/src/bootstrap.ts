import type { Org } from '@fleetops/protocol';
import type { Services } from './services';

export const DEFAULT_ORG_NAME = 'default';

/**
 * On the first start of an empty store: creates the first org and an admin token,
 * whose secret is returned once. Later starts find the org and return no secret.
 */
export async function bootstrap(svc: Services): Promise<{ org: Org; adminToken: string | null }> {
  return svc.db.transaction(async (tx) => {
    // Two replicas starting together on one database must not both create an org.
    await tx.query('SELECT pg_advisory_xact_lock(7412002)');
    const existing = await tx.query<{ id: string; name: string; created_at: Date }>(
      'SELECT id, name, created_at FROM orgs ORDER BY id LIMIT 1',
    );
    if (existing[0]) {
      const { id, name, created_at } = existing[0];
      return { org: { id, name, createdAt: created_at.toISOString() }, adminToken: null };
    }
    const org = await svc.orgs.create(DEFAULT_ORG_NAME, tx);
    const token = await svc.apiTokens.create(org.id, 'bootstrap-admin', 'admin', tx);
    return { org, adminToken: token.token };
  });
}
