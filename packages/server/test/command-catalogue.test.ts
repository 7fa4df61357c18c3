import { SendCommandRequest, verifyCommandSignature } from '@fleetops/protocol';
import { expect, it } from 'vitest';
import { describeStores, deviceApi, facts, type Harness } from './harness';

/** Enrolls a device and keeps the whole enrollment answer, signing key included. */
async function enrolled(server: Harness) {
  const org = await server.newOrg();
  const response = await fetch(`${server.url}/device/v1/enroll`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ enrollmentToken: await org.enrollmentToken(), facts: facts() }),
  });
  expect(response.status).toBe(201);
  const enrollment = await response.json();
  // An admin token: wipe and retire need one.
  const send = (body: unknown) =>
    server.api(org.tokens.admin, `/v1/devices/${enrollment.deviceId}/commands`, { method: 'POST', body });
  const report = (id: string, body: unknown) =>
    deviceApi(server, enrollment.credential, `/device/v1/commands/${id}/result`, body);
  const poll = async () =>
    (await (await deviceApi(server, enrollment.credential, '/device/v1/commands')).json()).commands;
  return { org, enrollment, send, report, poll };
}

const valid: [string, Record<string, unknown>][] = [
  ['lock', { message: 'Return to IT' }],
  ['wipe', { keepEsim: true, reason: 'reported lost' }],
  ['reboot', {}],
  ['locate', {}],
  ['ring', { durationSeconds: 60 }],
  ['message', { title: 'IT', body: 'Please update tonight' }],
  ['set-restrictions', { camera: 'off', bluetooth: 'off', forceGps: true }],
  ['remove-app', { packageId: 'com.example.game' }],
  ['clear-app-data', { packageId: 'com.example.mail' }],
  ['sync', {}],
  ['retire', {}],
];

const invalid: [string, unknown, string][] = [
  ['lock', { message: 7 }, 'body.params.message'],
  ['wipe', { keepEsim: 'yes' }, 'body.params.keepEsim'],
  ['reboot', { force: true }, 'body.params'],
  ['locate', { precise: true }, 'body.params'],
  ['ring', { durationSeconds: 1000 }, 'body.params.durationSeconds'],
  ['message', { title: 'no body' }, 'body.params.body'],
  ['set-restrictions', {}, 'body.params'],
  ['set-restrictions', { camera: 'disabled' }, 'body.params.camera'],
  ['remove-app', {}, 'body.params.packageId'],
  ['clear-app-data', { packageId: '' }, 'body.params.packageId'],
  ['sync', { now: 1 }, 'body.params'],
  ['retire', { wipe: true }, 'body.params'],
];

describeStores('command catalogue', (server) => {
  it.each(valid)('accepts %s with valid parameters and delivers them as validated', async (type, params) => {
    const { send, poll } = await enrolled(server);
    const response = await send({ type, params });
    expect(response.status).toBe(201);
    const command = await response.json();
    const expected = (SendCommandRequest.parse({ type, params }) as { params: unknown }).params;
    expect(command).toMatchObject({ type, params: expected, status: 'queued', result: null });
    expect(await poll()).toEqual([expect.objectContaining({ id: command.id, type, params: expected })]);
  });

  it.each(invalid)('refuses %s with %j, naming %s', async (type, params, path) => {
    const { send } = await enrolled(server);
    const response = await send({ type, params });
    expect(response.status).toBe(400);
    const { error } = await response.json();
    expect(error.code).toBe('validation_failed');
    expect(error.details.issues[0].path).toBe(path);
    expect(error.message).toContain(path);
  });

  it('refuses an unknown command type, naming the field', async () => {
    const { send } = await enrolled(server);
    const response = await send({ type: 'self-destruct', params: {} });
    expect(response.status).toBe(400);
    expect((await response.json()).error.details.issues[0].path).toBe('body.type');
  });

  it('signs every delivered command with the org key given at enrollment, for that device only', async () => {
    const { org, enrollment, send, poll } = await enrolled(server);
    expect(Buffer.from(enrollment.commandSigningKey, 'base64')).toHaveLength(32);
    await send({ type: 'lock', params: { message: 'Return to IT' } });
    await send({ type: 'set-restrictions', params: { camera: 'off' } });
    const delivered = await poll();
    expect(delivered).toHaveLength(2);
    const { deviceId, commandSigningKey, enrollmentGeneration } = enrollment;
    expect(enrollmentGeneration).toBe(1);
    const recipient = { orgId: org.id, deviceId, enrollmentGeneration };
    for (const command of delivered) {
      expect(verifyCommandSignature(commandSigningKey, recipient, command)).toBe(true);
      expect(verifyCommandSignature(commandSigningKey, recipient, { ...command, type: 'wipe' })).toBe(false);
    }

    const other = await enrolled(server);
    expect(other.enrollment.commandSigningKey).not.toBe(commandSigningKey);
    for (const command of delivered) {
      expect(verifyCommandSignature(other.enrollment.commandSigningKey, recipient, command)).toBe(false);
      const elsewhere = { ...recipient, deviceId: other.enrollment.deviceId };
      expect(verifyCommandSignature(commandSigningKey, elsewhere, command)).toBe(false);
    }
  });

  it('gives every device of an org the same key', async () => {
    const org = await server.newOrg();
    const token = await org.enrollmentToken({ maxUses: 2 });
    const keys = [];
    for (let i = 0; i < 2; i++) {
      const response = await fetch(`${server.url}/device/v1/enroll`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ enrollmentToken: token, facts: facts() }),
      });
      keys.push((await response.json()).commandSigningKey);
    }
    expect(keys[0]).toBe(keys[1]);
  });

  it('stores what the device reports a command produced and shows it on the command', async () => {
    const { org, send, report } = await enrolled(server);
    const command = await (await send({ type: 'locate' })).json();
    const fix = { latitude: 48.8566, longitude: 2.3522, accuracyMeters: 12, at: new Date().toISOString() };
    expect((await report(command.id, { status: 'acknowledged' })).status).toBe(200);
    expect((await report(command.id, { status: 'succeeded', result: fix })).status).toBe(200);
    const shown = await (await server.api(org.tokens.viewer, `/v1/commands/${command.id}`)).json();
    expect(shown).toMatchObject({ status: 'succeeded', result: fix });
    const listed = await (
      await server.api(org.tokens.viewer, `/v1/devices/${command.deviceId}/commands`)
    ).json();
    expect(listed.data[0].result).toEqual(fix);
  });

  it('keeps the device state a command produced, restrictions and last message included', async () => {
    const { org, enrollment, send, report } = await enrolled(server);
    const before = await (await server.api(org.tokens.viewer, `/v1/devices/${enrollment.deviceId}`)).json();
    expect(before.state).toEqual({
      locked: false,
      restrictions: {
        wifi: 'on',
        camera: 'on',
        bluetooth: 'on',
        nfc: 'on',
        calls: 'on',
        factoryReset: 'on',
        screenshots: 'on',
        forceGps: false,
      },
    });
    const command = await (await send({ type: 'set-restrictions', params: { camera: 'off' } })).json();
    const state = {
      locked: false,
      restrictions: { ...before.state.restrictions, camera: 'off' },
      lastMessage: { body: 'Hello', at: new Date().toISOString() },
    };
    await report(command.id, { status: 'succeeded', state });
    const after = await (await server.api(org.tokens.viewer, `/v1/devices/${enrollment.deviceId}`)).json();
    expect(after.state).toEqual(state);
  });

  it('reads a state reported the old way (locked only) with default restrictions', async () => {
    const { org, enrollment } = await enrolled(server);
    await deviceApi(server, enrollment.credential, '/device/v1/checkin', { state: { locked: true } });
    const device = await (await server.api(org.tokens.viewer, `/v1/devices/${enrollment.deviceId}`)).json();
    expect(device.state).toMatchObject({ locked: true, restrictions: { camera: 'on', forceGps: false } });
  });

  it.each(['wipe', 'retire'])('ends the enrollment of a device that reports %s succeeded', async (type) => {
    const { org, enrollment, send, report } = await enrolled(server);
    const command = await (await send({ type })).json();
    const pending = await (await send({ type: 'lock' })).json();
    await report(command.id, { status: 'succeeded' });
    const device = await (await server.api(org.tokens.viewer, `/v1/devices/${enrollment.deviceId}`)).json();
    expect(device.status).toBe('retired');
    const canceled = await (await server.api(org.tokens.viewer, `/v1/commands/${pending.id}`)).json();
    expect(canceled.status).toBe('canceled');
    const after = await deviceApi(server, enrollment.credential, '/device/v1/commands');
    expect(after.status).toBe(410);
  });

  it('keeps a device enrolled when its wipe failed', async () => {
    const { org, enrollment, send, report } = await enrolled(server);
    const command = await (await send({ type: 'wipe' })).json();
    await report(command.id, { status: 'failed', error: 'factory reset disabled by the user' });
    const device = await (await server.api(org.tokens.viewer, `/v1/devices/${enrollment.deviceId}`)).json();
    expect(device.status).toBe('active');
  });
});
