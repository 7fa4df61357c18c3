import { type RunningServer, startServer } from '@fleetops/server';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  FleetAuthError,
  FleetBadRequestError,
  FleetClient,
  FleetConflictError,
  FleetNotFoundError,
  FleetPermissionError,
} from '../src/index';

let server: RunningServer;
let admin: FleetClient;

beforeAll(async () => {
  server = await startServer({ port: 0, logLevel: 'silent' });
  admin = new FleetClient({ baseUrl: server.url, token: server.adminToken! });
});
afterAll(async () => {
  admin.close();
  await server.close();
});

async function enrollDevices(count: number, group = 'default') {
  const { token } = await admin.enrollmentTokens.create({ group, maxUses: count });
  const devices: { id: string; credential: string }[] = [];
  for (let i = 0; i < count; i++) {
    const response = await fetch(`${server.url}/device/v1/enroll`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        enrollmentToken: token,
        facts: {
          model: i % 2 ? 'Pixel 8' : 'Galaxy S23',
          brand: i % 2 ? 'Google' : 'Samsung',
          os: 'android',
          osVersion: '14',
          serial: `SDK${group}${i}`,
          macAddress: '02:00:00:00:00:09',
          networkType: 'wifi',
          wifiEnabled: true,
        },
      }),
    });
    const { deviceId, credential } = (await response.json()) as { deviceId: string; credential: string };
    devices.push({ id: deviceId, credential });
  }
  return devices;
}

it('lists every device lazily across pages with for await, against the real server', async () => {
  const ids = (await enrollDevices(23, 'paged')).map((d) => d.id);
  const listed: string[] = [];
  for await (const device of admin.devices.list({ group: 'paged', limit: 5 })) listed.push(device.id);
  expect(listed).toEqual(ids);
  const firstPage = await admin.devices.list({ group: 'paged', limit: 10 });
  expect(firstPage.data).toHaveLength(10);
  expect(firstPage.hasNextPage()).toBe(true);
});

it('locks a device and waits for the outcome the device reports', async () => {
  const [{ id: deviceId, credential }] = (await enrollDevices(1, 'lock')) as [
    { id: string; credential: string },
  ];
  const command = await admin.commands.send(deviceId, { type: 'lock', params: { message: 'lost' } });
  expect(command.status).toBe('queued');
  const device = async () => {
    const polled = (await (
      await fetch(`${server.url}/device/v1/commands?wait=5`, {
        headers: { authorization: `Bearer ${credential}` },
      })
    ).json()) as { commands: { id: string }[] };
    for (const c of polled.commands) {
      await fetch(`${server.url}/device/v1/commands/${c.id}/result`, {
        method: 'POST',
        headers: { authorization: `Bearer ${credential}`, 'content-type': 'application/json' },
        body: JSON.stringify({ status: 'succeeded', state: { locked: true } }),
      });
    }
  };
  const [done] = await Promise.all([admin.commands.wait(command.id, { intervalMs: 50 }), device()]);
  expect(done.status).toBe('succeeded');
  expect((await admin.devices.retrieve(deviceId)).state.locked).toBe(true);
});

it('turns the server’s refusals into typed errors', async () => {
  await expect(admin.devices.retrieve('01900000-0000-7000-8000-0000000000ff')).rejects.toBeInstanceOf(
    FleetNotFoundError,
  );
  await expect(admin.devices.update('01900000-0000-7000-8000-0000000000ff', {})).rejects.toBeInstanceOf(
    FleetBadRequestError,
  );
  const viewer = new FleetClient({
    baseUrl: server.url,
    token: (await admin.tokens.create({ name: 'read-only', role: 'viewer' })).token,
  });
  const deviceId = (await enrollDevices(1, 'roles'))[0]!.id;
  await expect(viewer.devices.retire(deviceId)).rejects.toBeInstanceOf(FleetPermissionError);
  await admin.devices.retire(deviceId);
  await expect(admin.commands.send(deviceId, { type: 'lock' })).rejects.toBeInstanceOf(FleetConflictError);
  const bogus = new FleetClient({ baseUrl: server.url, token: 'fo_api_bogus', maxRetries: 0 });
  const error = await bogus.whoami().catch((e: unknown) => e);
  expect(error).toBeInstanceOf(FleetAuthError);
  expect(String((error as Error).message)).not.toContain('fo_api_bogus');
  viewer.close();
  bogus.close();
});
