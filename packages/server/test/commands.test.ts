import { expect, it } from 'vitest';
import { describeStores, deviceApi, enroll, type Harness } from './harness';

async function lockedDevice(server: Harness) {
  const org = await server.newOrg();
  const { deviceId, credential } = await enroll(server, await org.enrollmentToken());
  const send = async (body: unknown = { type: 'lock' }) =>
    server.api(org.tokens.operator, `/v1/devices/${deviceId}/commands`, { method: 'POST', body });
  const status = async (id: string) =>
    await (await server.api(org.tokens.viewer, `/v1/commands/${id}`)).json();
  return { org, deviceId, credential, send, status };
}

describeStores('commands', (server) => {
  it('wakes a long-polling device as soon as a command is queued', async () => {
    const { credential, send, status } = await lockedDevice(server);
    const poll = deviceApi(server, credential, '/device/v1/commands?wait=20');
    await new Promise((resolve) => setTimeout(resolve, 200));
    const command = await (await send({ type: 'lock', params: { message: 'Return to IT' } })).json();
    const delivered = await (await poll).json();
    expect(delivered.commands).toEqual([
      expect.objectContaining({ id: command.id, type: 'lock', params: { message: 'Return to IT' } }),
    ]);
    expect((await status(command.id)).status).toBe('delivered');
  });

  it('walks queued -> delivered -> acknowledged -> succeeded, and the device state follows', async () => {
    const { org, deviceId, credential, send, status } = await lockedDevice(server);
    const command = await (await send()).json();
    expect(command.status).toBe('queued');
    const checkIn = await (await deviceApi(server, credential, '/device/v1/checkin', {})).json();
    expect(checkIn.commands.map((c: { id: string }) => c.id)).toEqual([command.id]);
    await deviceApi(server, credential, `/device/v1/commands/${command.id}/result`, {
      status: 'acknowledged',
    });
    expect((await status(command.id)).status).toBe('acknowledged');
    await deviceApi(server, credential, `/device/v1/commands/${command.id}/result`, {
      status: 'succeeded',
      state: { locked: true },
    });
    const done = await status(command.id);
    expect(done).toMatchObject({
      status: 'succeeded',
      completedAt: expect.any(String),
      acknowledgedAt: expect.any(String),
    });
    const device = await (await server.api(org.tokens.viewer, `/v1/devices/${deviceId}`)).json();
    expect(device.state.locked).toBe(true);
  });

  it('ignores a replayed or late report once the command is final', async () => {
    const { credential, send, status } = await lockedDevice(server);
    const command = await (await send()).json();
    await deviceApi(server, credential, `/device/v1/commands/${command.id}/result`, {
      status: 'failed',
      error: 'no',
    });
    const replay = await deviceApi(server, credential, `/device/v1/commands/${command.id}/result`, {
      status: 'succeeded',
    });
    expect(replay.status).toBe(200);
    expect(await status(command.id)).toMatchObject({ status: 'failed', error: 'no' });
  });

  it('delivers again a command whose delivery went unanswered, and never one already finished', async () => {
    const { credential, send } = await lockedDevice(server);
    const command = await (await send()).json();
    const first = await (await deviceApi(server, credential, '/device/v1/commands')).json();
    expect(first.commands).toHaveLength(1);
    const meanwhile = await (await deviceApi(server, credential, '/device/v1/commands')).json();
    expect(meanwhile.commands).toEqual([]);
    await server.db.query("UPDATE commands SET delivered_at = now() - interval '5 minutes' WHERE id = $1", [
      command.id,
    ]);
    const again = await (await deviceApi(server, credential, '/device/v1/commands')).json();
    expect(again.commands.map((c: { id: string }) => c.id)).toEqual([command.id]);
    await deviceApi(server, credential, `/device/v1/commands/${command.id}/result`, { status: 'succeeded' });
    await server.db.query("UPDATE commands SET delivered_at = now() - interval '5 minutes' WHERE id = $1", [
      command.id,
    ]);
    expect((await (await deviceApi(server, credential, '/device/v1/commands')).json()).commands).toEqual([]);
  });

  it('expires a command the device did not fetch within its time to live', async () => {
    const { credential, send, status } = await lockedDevice(server);
    const command = await (await send({ type: 'lock', ttlSeconds: 10 })).json();
    await server.db.query("UPDATE commands SET expires_at = now() - interval '1 second' WHERE id = $1", [
      command.id,
    ]);
    const polled = await (await deviceApi(server, credential, '/device/v1/commands')).json();
    expect(polled.commands).toEqual([]);
    expect((await status(command.id)).status).toBe('expired');
  });

  it('shows a command to an offline device as expired once its time is up, and the sweep records it', async () => {
    const { send, status } = await lockedDevice(server);
    const command = await (await send({ type: 'lock', ttlSeconds: 10 })).json();
    await server.db.query("UPDATE commands SET expires_at = now() - interval '1 second' WHERE id = $1", [
      command.id,
    ]);
    expect((await status(command.id)).status).toBe('expired');
    expect(await server.services.commands.expireDue()).toBeGreaterThanOrEqual(1);
    const [row] = await server.db.query<{ status: string }>('SELECT status FROM commands WHERE id = $1', [
      command.id,
    ]);
    expect(row!.status).toBe('expired');
  });

  it('tells a device reporting on an expired or canceled command not to execute it', async () => {
    const { org, deviceId, credential, send, status } = await lockedDevice(server);
    const expiring = await (await send({ type: 'lock', ttlSeconds: 10 })).json();
    await (await deviceApi(server, credential, '/device/v1/commands')).json();
    await server.db.query("UPDATE commands SET expires_at = now() - interval '1 second' WHERE id = $1", [
      expiring.id,
    ]);
    const late = await deviceApi(server, credential, `/device/v1/commands/${expiring.id}/result`, {
      status: 'acknowledged',
    });
    expect(late.status).toBe(409);
    expect((await late.json()).error.message).toContain('has expired: do not execute it');
    expect((await status(expiring.id)).status).toBe('expired');

    const canceled = await (await send()).json();
    await server.api(org.tokens.admin, `/v1/devices/${deviceId}/retire`, { method: 'POST' });
    expect((await status(canceled.id)).status).toBe('canceled');
  });

  it('lists a device’s commands newest first and refuses unknown command types by field', async () => {
    const { org, deviceId, send } = await lockedDevice(server);
    const first = await (await send()).json();
    const second = await (await send()).json();
    const listed = await (await server.api(org.tokens.viewer, `/v1/devices/${deviceId}/commands`)).json();
    expect(listed.data.map((c: { id: string }) => c.id)).toEqual([second.id, first.id]);
    const bad = await send({ type: 'selfdestruct' });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.details.issues[0].path).toBe('body.type');
  });
});
