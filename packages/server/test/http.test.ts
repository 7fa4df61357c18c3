import { adminRoutes, deviceRoutes } from '@fleetops/protocol';
import { expect, it } from 'vitest';
import { BODY_LIMIT_BYTES } from '../src/app';
import { describeStores, enroll } from './harness';

describeStores('http', (server) => {
  it('answers malformed JSON with 400 and the one error shape', async () => {
    const org = await server.newOrg();
    const response = await server.api(org.tokens.admin, '/v1/tokens', { method: 'POST', body: '{"name": ' });
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body).toEqual({
      error: {
        code: 'bad_request',
        message: expect.stringContaining('malformed JSON body'),
        requestId: expect.any(String),
      },
    });
  });

  it('answers an oversize body with 413', async () => {
    const response = await fetch(`${server.url}/device/v1/enroll`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ enrollmentToken: 'x', padding: 'x'.repeat(BODY_LIMIT_BYTES) }),
    });
    expect(response.status).toBe(413);
    expect((await response.json()).error.code).toBe('payload_too_large');
  });

  it('gives every answer a request id, and keeps the one the caller sent', async () => {
    const own = await fetch(`${server.url}/healthz`, { headers: { 'x-request-id': 'ci-run-42' } });
    expect(own.headers.get('x-request-id')).toBe('ci-run-42');
    const missing = await fetch(`${server.url}/v1/devices`);
    const requestId = missing.headers.get('x-request-id');
    expect(requestId).toMatch(/^req_[0-9a-f]{16}$/);
    expect((await missing.json()).error.requestId).toBe(requestId);
  });

  it('answers a retried mutation with the first answer instead of acting twice', async () => {
    const org = await server.newOrg();
    const { deviceId } = await enroll(server, await org.enrollmentToken());
    const lock = (key: string, token = org.tokens.operator, message = 'lost') =>
      server.api(token, `/v1/devices/${deviceId}/commands`, {
        method: 'POST',
        body: { type: 'lock', params: { message } },
        headers: { 'idempotency-key': key },
      });
    const first = await lock('retry-1');
    const again = await lock('retry-1');
    expect([first.status, again.status]).toEqual([201, 201]);
    expect(await again.json()).toEqual(await first.json());
    const commands = await (await server.api(org.tokens.viewer, `/v1/devices/${deviceId}/commands`)).json();
    expect(commands.data).toHaveLength(1);

    const reused = await lock('retry-1', org.tokens.operator, 'stolen');
    expect(reused.status).toBe(409);
    expect((await reused.json()).error.message).toContain('already used for a different request');
    const otherToken = await lock('retry-1', org.tokens.admin);
    expect(otherToken.status).toBe(409);
  });

  it('never hands a secret out twice: a retried token creation says what it created instead', async () => {
    const org = await server.newOrg();
    const create = () =>
      server.api(org.tokens.admin, '/v1/tokens', {
        method: 'POST',
        body: { name: 'deploy-bot', role: 'viewer' },
        headers: { 'idempotency-key': 'create-bot' },
      });
    const first = await (await create()).json();
    const retry = await create();
    expect(retry.status).toBe(409);
    const body = await retry.json();
    expect(body.error.message).toContain(`already created ${first.id}`);
    expect(JSON.stringify(body)).not.toContain(first.token);
    const stored = await server.db.query<{ response: unknown }>('SELECT response FROM idempotency_keys');
    expect(JSON.stringify(stored)).not.toContain(first.token);
    const tokens = await (await server.api(org.tokens.admin, '/v1/tokens?limit=100')).json();
    expect(tokens.data.filter((t: { name: string }) => t.name === 'deploy-bot')).toHaveLength(1);
  });

  it('lets a mutation that failed be retried with the same key', async () => {
    const org = await server.newOrg();
    const send = (deviceId: string) =>
      server.api(org.tokens.operator, `/v1/devices/${deviceId}/commands`, {
        method: 'POST',
        body: { type: 'lock' },
        headers: { 'idempotency-key': 'lock-once' },
      });
    expect((await send('01900000-0000-7000-8000-000000000abc')).status).toBe(404);
    const again = await send('01900000-0000-7000-8000-000000000abc');
    expect(again.status).toBe(404);
    expect((await again.json()).error.code).toBe('not_found');
  });

  it('reports health', async () => {
    const response = await fetch(`${server.url}/healthz`);
    expect(await response.json()).toEqual({ status: 'ok', version: expect.any(String) });
  });

  it('serves an OpenAPI 3.1 document with every route of the protocol and its schemas', async () => {
    const doc = await (await fetch(`${server.url}/v1/openapi.json`)).json();
    expect(doc.openapi).toBe('3.1.0');
    for (const route of [...Object.values(adminRoutes), ...Object.values(deviceRoutes)]) {
      const path = route.path.replace(/:(\w+)/g, '{$1}');
      expect(doc.paths[path]?.[route.method.toLowerCase()], `${route.method} ${route.path}`).toBeDefined();
    }
    expect(Object.keys(doc.components.schemas)).toEqual(
      expect.arrayContaining(['Device', 'Command', 'Error']),
    );
    const listDevices = doc.paths['/v1/devices'].get;
    expect(listDevices.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['os', 'group', 'label', 'model', 'lastSeenBefore', 'cursor', 'limit']),
    );
  });
});
