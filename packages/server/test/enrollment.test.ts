import { expect, it } from 'vitest';
import { describeStores, deviceApi, enroll, facts } from './harness';

describeStores('enrollment', (server) => {
  const enrollRaw = (enrollmentToken: string, body: Record<string, unknown> = {}) =>
    fetch(`${server.url}/device/v1/enroll`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ enrollmentToken, facts: facts(), ...body }),
    });

  it('enrolls a device with a good token into the token group and mode, and returns a working credential', async () => {
    const org = await server.newOrg();
    const created = await server.api(org.tokens.admin, '/v1/enrollment-tokens', {
      method: 'POST',
      body: { group: 'sales', mode: 'BYOD', maxUses: 5 },
    });
    expect(created.status).toBe(201);
    const token = await created.json();
    expect(token.payload).toEqual({ v: 1, server: server.url, token: token.token, mode: 'BYOD' });

    const response = await enrollRaw(token.token);
    expect(response.status).toBe(201);
    const enrolled = await response.json();
    expect(enrolled.org.id).toBe(org.id);
    expect(enrolled.mode).toBe('BYOD');

    const device = await (await server.api(org.tokens.viewer, `/v1/devices/${enrolled.deviceId}`)).json();
    expect(device).toMatchObject({ group: 'sales', mode: 'BYOD', status: 'active' });
    expect((await deviceApi(server, enrolled.credential, '/device/v1/checkin', {})).status).toBe(200);

    const listed = await (await server.api(org.tokens.viewer, '/v1/enrollment-tokens')).json();
    expect(listed.data).toEqual([expect.objectContaining({ id: token.id, uses: 1, status: 'active' })]);
    expect(JSON.stringify(listed)).not.toContain(token.token);
  });

  it('refuses an expired token', async () => {
    const org = await server.newOrg();
    const secret = await org.enrollmentToken();
    await server.db.query(
      "UPDATE enrollment_tokens SET expires_at = now() - interval '1 second' WHERE org_id = $1",
      [org.id],
    );
    const response = await enrollRaw(secret);
    expect(response.status).toBe(401);
    expect((await response.json()).error).toMatchObject({ code: 'enrollment_token_expired' });
    const listed = await (await server.api(org.tokens.viewer, '/v1/enrollment-tokens')).json();
    expect(listed.data[0].status).toBe('expired');
  });

  it('refuses a token used up, and lets exactly maxUses devices in when they race', async () => {
    const org = await server.newOrg();
    const secret = await org.enrollmentToken({ maxUses: 3 });
    const results = await Promise.all(Array.from({ length: 8 }, () => enrollRaw(secret)));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([201, 201, 201, 401, 401, 401, 401, 401]);
    const refused = await results.find((r) => r.status === 401)!.json();
    expect(refused.error.code).toBe('enrollment_token_exhausted');
    const devices = await (await server.api(org.tokens.viewer, '/v1/devices')).json();
    expect(devices.data).toHaveLength(3);
  });

  it('refuses a revoked token', async () => {
    const org = await server.newOrg();
    const created = await (
      await server.api(org.tokens.admin, '/v1/enrollment-tokens', { method: 'POST', body: {} })
    ).json();
    const revoked = await server.api(org.tokens.admin, `/v1/enrollment-tokens/${created.id}/revoke`, {
      method: 'POST',
    });
    expect((await revoked.json()).status).toBe('revoked');
    const response = await enrollRaw(created.token);
    expect(response.status).toBe(401);
    expect((await response.json()).error.code).toBe('enrollment_token_revoked');
  });

  it('refuses an unknown token and says so', async () => {
    const response = await enrollRaw('fo_enr_not-a-real-token');
    expect(response.status).toBe(401);
    expect((await response.json()).error).toMatchObject({
      code: 'enrollment_token_invalid',
      message: expect.stringContaining('unknown enrollment token'),
    });
  });

  it('refuses malformed facts, naming the field, and counts no use', async () => {
    const org = await server.newOrg();
    const secret = await org.enrollmentToken({ maxUses: 1 });
    const response = await enrollRaw(secret, { facts: { ...facts(), imei: '12345' } });
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.error.code).toBe('validation_failed');
    expect(body.error.details.issues[0]).toEqual({
      path: 'body.facts.imei',
      message: 'an IMEI is 15 digits',
    });
    await enroll(server, secret);
  });

  it('returns the same device to a retried enrollment, with a new credential and no extra use', async () => {
    const org = await server.newOrg();
    const secret = await org.enrollmentToken({ maxUses: 2 });
    const requestId = '01900000-0000-7000-8000-00000000e001';
    const sameFacts = facts();
    const first = await (await enrollRaw(secret, { facts: sameFacts, requestId })).json();
    const retry = await enrollRaw(secret, { facts: sameFacts, requestId });
    expect(retry.status).toBe(201);
    const second = await retry.json();
    expect(second.deviceId).toBe(first.deviceId);
    expect(second.credential).not.toBe(first.credential);
    expect((await deviceApi(server, second.credential, '/device/v1/checkin', {})).status).toBe(200);
    expect((await deviceApi(server, first.credential, '/device/v1/checkin', {})).status).toBe(401);
    const tokens = await (await server.api(org.tokens.viewer, '/v1/enrollment-tokens')).json();
    expect(tokens.data[0].uses).toBe(1);
    const devices = await (await server.api(org.tokens.viewer, '/v1/devices')).json();
    expect(devices.data).toHaveLength(1);
  });

  it('rejects a wrong device credential', async () => {
    const response = await deviceApi(server, 'fo_dev_wrong', '/device/v1/checkin', {});
    expect(response.status).toBe(401);
    expect((await response.json()).error).toMatchObject({
      code: 'unauthorized',
      message: 'unknown device credential',
    });
  });
});
