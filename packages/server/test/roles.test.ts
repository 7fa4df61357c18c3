import { adminRoutes, Role, roleAllows } from '@fleetops/protocol';
import { beforeAll, expect, it } from 'vitest';
import { describeStores, type TestOrg } from './harness';

const ANY_ID = '01900000-0000-7000-8000-000000000000';
const routes = Object.entries(adminRoutes);

describeStores('roles', (server) => {
  let org: TestOrg;
  beforeAll(async () => {
    org = await server.newOrg();
  });

  const call = (token: string, route: (typeof adminRoutes)[keyof typeof adminRoutes]) =>
    server.api(token, route.path.replace(':id', ANY_ID), {
      method: route.method,
      body: route.method === 'GET' ? undefined : {},
    });

  it.each(routes)('%s: refused with 403 to every role below the one it needs', async (_name, route) => {
    for (const role of Role.options.filter((r) => !roleAllows(r, route.role))) {
      const response = await call(org.tokens[role], route);
      expect(response.status, `${role} on ${route.method} ${route.path}`).toBe(403);
      const body = await response.json();
      expect(body.error.code).toBe('forbidden');
      expect(body.error.message).toContain(`needs the ${route.role} role`);
    }
  });

  it.each(routes)('%s: let through for the role it needs and above', async (_name, route) => {
    for (const role of Role.options.filter((r) => roleAllows(r, route.role))) {
      const response = await call(org.tokens[role], route);
      expect([401, 403]).not.toContain(response.status);
    }
  });

  it('refuses a missing, malformed or revoked token with 401 before looking at the request', async () => {
    const missing = await fetch(`${server.url}/v1/devices`);
    expect(missing.status).toBe(401);
    expect((await missing.json()).error.message).toContain('missing API token');
    const malformed = await fetch(`${server.url}/v1/devices`, { headers: { authorization: 'Token abc' } });
    expect((await malformed.json()).error.message).toContain('malformed Authorization header');

    const created = await (
      await server.api(org.tokens.admin, '/v1/tokens', {
        method: 'POST',
        body: { name: 'ci', role: 'viewer' },
      })
    ).json();
    expect((await server.api(created.token, '/v1/devices')).status).toBe(200);
    await server.api(org.tokens.admin, `/v1/tokens/${created.id}/revoke`, { method: 'POST' });
    const revoked = await server.api(created.token, '/v1/devices', { method: 'GET' });
    expect(revoked.status).toBe(401);
    const invalidBody = await server.api(created.token, '/v1/tokens', { method: 'POST', body: '{not json' });
    expect(invalidBody.status).toBe(401);
  });

  it('shows a new token once and stores only its hash', async () => {
    const created = await (
      await server.api(org.tokens.admin, '/v1/tokens', {
        method: 'POST',
        body: { name: 'ops', role: 'operator' },
      })
    ).json();
    expect(created.token).toMatch(/^fo_api_/);
    const listed = await (await server.api(org.tokens.admin, '/v1/tokens')).json();
    expect(JSON.stringify(listed)).not.toContain(created.token);
    const stored = await server.db.query<{ secret_hash: string }>(
      'SELECT secret_hash FROM api_tokens WHERE id = $1',
      [created.id],
    );
    expect(stored[0]!.secret_hash).not.toContain(created.token);
    expect(stored[0]!.secret_hash).toMatch(/^[0-9a-f]{64}$/);
  });
});
