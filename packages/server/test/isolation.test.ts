import { adminRoutes } from '@fleetops/protocol';
import { beforeAll, expect, it } from 'vitest';
import { describeStores, deviceApi, enroll, type TestOrg } from './harness';

/** A body each mutating route accepts, so the request reaches the lookup of its id. */
const VALID_BODY: Partial<Record<keyof typeof adminRoutes, unknown>> = {
  updateDevice: { addLabels: ['stolen'] },
  sendDeviceCommand: { type: 'lock' },
  offboardUser: { retireDevices: true, erasePersonalData: true },
};

describeStores('tenant isolation', (server) => {
  let a: TestOrg;
  let b: TestOrg;
  const ids = {} as Record<
    'token' | 'enrollmentToken' | 'device' | 'command' | 'job' | 'rollout' | 'user' | 'scan',
    string
  >;
  let credentialA: string;
  let credentialB: string;

  beforeAll(async () => {
    a = await server.newOrg('a');
    b = await server.newOrg('b');
    const tokens = await (await server.api(a.tokens.admin, '/v1/tokens')).json();
    ids.token = tokens.data[0].id;
    const enrollment = await (
      await server.api(a.tokens.admin, '/v1/enrollment-tokens', { method: 'POST', body: {} })
    ).json();
    ids.enrollmentToken = enrollment.id;
    const device = await enroll(server, enrollment.token);
    ids.device = device.deviceId;
    credentialA = device.credential;
    const command = await (
      await server.api(a.tokens.operator, `/v1/devices/${ids.device}/commands`, {
        method: 'POST',
        body: { type: 'lock' },
      })
    ).json();
    ids.command = command.id;
    const job = await (
      await server.api(a.tokens.operator, '/v1/jobs', {
        method: 'POST',
        body: { type: 'sync', targets: { devices: [{ value: ids.device }] } },
      })
    ).json();
    ids.job = job.id;
    const document = {
      apiVersion: 'fleetops.dev/v1',
      kind: 'Policy',
      metadata: { name: 'baseline' },
      spec: { assignment: { groups: ['default'], priority: 10 } },
    };
    await server.api(a.tokens.admin, '/v1/policy-revisions', {
      method: 'POST',
      body: { documents: [document], baseRevision: 0, staged: true },
    });
    const rollout = await (
      await server.api(a.tokens.admin, '/v1/policies/baseline/rollouts', {
        method: 'POST',
        body: { waves: ['100%'] },
      })
    ).json();
    ids.rollout = rollout.id;
    credentialB = (await enroll(server, await b.enrollmentToken())).credential;
    const user = await (
      await server.api(a.tokens.admin, '/v1/users', {
        method: 'POST',
        body: { email: 'alice@example.com', name: 'Alice' },
      })
    ).json();
    ids.user = user.id;
    const scan = await (
      await server.api(a.tokens.operator, '/v1/compliance/scans', { method: 'POST', body: {} })
    ).json();
    ids.scan = scan.id;
  });

  const idFor = (path: string) => {
    if (path.startsWith('/v1/tokens/')) return ids.token;
    if (path.startsWith('/v1/enrollment-tokens/')) return ids.enrollmentToken;
    if (path.startsWith('/v1/devices/')) return ids.device;
    if (path.startsWith('/v1/commands/')) return ids.command;
    if (path.startsWith('/v1/jobs/')) return ids.job;
    if (path.startsWith('/v1/rollouts/')) return ids.rollout;
    if (path.startsWith('/v1/users/')) return ids.user;
    if (path.startsWith('/v1/compliance/scans/')) return ids.scan;
    throw new Error(`no id for ${path}`);
  };

  const withId = Object.entries(adminRoutes).filter(([, route]) => route.path.includes(':id'));

  it.each(withId)('%s: another org gets 404 for this org’s id, and no data', async (name, route) => {
    const id = idFor(route.path);
    const response = await server.api(b.tokens.admin, route.path.replace(':id', id), {
      method: route.method,
      body: VALID_BODY[name as keyof typeof adminRoutes],
    });
    expect(response.status).toBe(404);
    const body = await response.json();
    expect(body.error.code).toBe('not_found');
    expect(JSON.stringify(body)).not.toContain('Pixel');
  });

  it('nothing of org A changed after org B tried every endpoint', async () => {
    const device = await (await server.api(a.tokens.viewer, `/v1/devices/${ids.device}`)).json();
    expect(device).toMatchObject({ status: 'active', labels: [] });
    const commands = await (await server.api(a.tokens.viewer, `/v1/devices/${ids.device}/commands`)).json();
    // The lock, the job's sync and the sync the rollout sent: nothing from org B.
    expect(commands.data.map((c: { type: string }) => c.type).sort()).toEqual(['lock', 'sync', 'sync']);
    const job = await (await server.api(a.tokens.viewer, `/v1/jobs/${ids.job}`)).json();
    expect(job).toMatchObject({ status: 'running', canceledAt: null, approvedAt: null });
    const tokens = await (await server.api(a.tokens.admin, '/v1/tokens')).json();
    expect(tokens.data.every((t: { revokedAt: string | null }) => t.revokedAt === null)).toBe(true);
    const enrollment = await (await server.api(a.tokens.viewer, '/v1/enrollment-tokens')).json();
    expect(enrollment.data[0].status).toBe('active');
    const rollout = await (await server.api(a.tokens.viewer, `/v1/rollouts/${ids.rollout}`)).json();
    expect(rollout).toMatchObject({ status: 'running', policy: 'baseline' });
    const user = await (await server.api(a.tokens.viewer, `/v1/users/${ids.user}`)).json();
    expect(user).toMatchObject({ status: 'active', email: 'alice@example.com' });
  });

  it('lists show only the caller’s own org', async () => {
    for (const path of ['/v1/devices', '/v1/tokens', '/v1/enrollment-tokens', '/v1/jobs', '/v1/users']) {
      const listed = await (await server.api(b.tokens.admin, path)).json();
      const listedIds = listed.data.map((item: { id: string }) => item.id);
      expect(listedIds).not.toContain(ids.device);
      expect(listedIds).not.toContain(ids.token);
      expect(listedIds).not.toContain(ids.enrollmentToken);
      expect(listedIds).not.toContain(ids.job);
      expect(listedIds).not.toContain(ids.user);
    }
    const whoami = await (await server.api(b.tokens.viewer, '/v1/whoami')).json();
    expect(whoami.org.id).toBe(b.id);
  });

  it('a device of another org can neither report on nor receive this org’s command', async () => {
    const report = await deviceApi(server, credentialB, `/device/v1/commands/${ids.command}/result`, {
      status: 'succeeded',
    });
    expect(report.status).toBe(404);
    const polled = await (await deviceApi(server, credentialB, '/device/v1/commands')).json();
    expect(polled.commands).toEqual([]);
    const command = await (await server.api(a.tokens.viewer, `/v1/commands/${ids.command}`)).json();
    expect(command.status).toBe('queued');
    const own = await (await deviceApi(server, credentialA, '/device/v1/commands')).json();
    expect(own.commands.map((c: { id: string }) => c.id)).toContain(ids.command);
  });
});
