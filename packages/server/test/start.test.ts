import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { startServer } from '../src/server';

const dataDir = await mkdtemp(join(tmpdir(), 'fleetops-start-'));
afterAll(() => rm(dataDir, { recursive: true, force: true }));

it('creates an org and an admin token on first start, and keeps both (and the devices) across restarts', async () => {
  const first = await startServer({ port: 0, dataDir, logLevel: 'silent' });
  expect(first.adminToken).toMatch(/^fo_api_/);
  const enrollment = await first.createEnrollmentToken({ group: 'lab' });
  expect(enrollment.payload.server).toBe(first.url);
  const enrolled = await fetch(`${first.url}/device/v1/enroll`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      enrollmentToken: enrollment.token,
      facts: {
        model: 'Galaxy A54',
        brand: 'Samsung',
        os: 'android',
        osVersion: '14',
        serial: 'R58T123',
        macAddress: '02:00:00:00:00:02',
        networkType: 'cellular',
        wifiEnabled: false,
      },
    }),
  });
  const { deviceId } = await enrolled.json();
  await first.close();

  const second = await startServer({ port: 0, dataDir, logLevel: 'silent' });
  try {
    expect(second.org.id).toBe(first.org.id);
    expect(second.adminToken).toBeNull();
    const headers = { authorization: `Bearer ${first.adminToken}` };
    const devices = await (await fetch(`${second.url}/v1/devices`, { headers })).json();
    expect(devices.data.map((d: { id: string }) => d.id)).toEqual([deviceId]);
    const fresh = await second.createAdminToken('local-cli');
    const whoami = await (
      await fetch(`${second.url}/v1/whoami`, { headers: { authorization: `Bearer ${fresh}` } })
    ).json();
    expect(whoami.token).toMatchObject({ name: 'local-cli', role: 'admin' });
  } finally {
    await second.close();
  }
});

it('ends a waiting long-poll at once when the server closes', async () => {
  const server = await startServer({ port: 0, logLevel: 'silent' });
  const enrollment = await server.createEnrollmentToken();
  const { credential } = await (
    await fetch(`${server.url}/device/v1/enroll`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        enrollmentToken: enrollment.token,
        facts: {
          model: 'Pixel 7',
          brand: 'Google',
          os: 'android',
          osVersion: '14',
          serial: 'P7X',
          macAddress: '02:00:00:00:00:03',
          networkType: 'wifi',
          wifiEnabled: true,
        },
      }),
    })
  ).json();
  const poll = fetch(`${server.url}/device/v1/commands?wait=30`, {
    headers: { authorization: `Bearer ${credential}` },
  });
  await new Promise((resolve) => setTimeout(resolve, 200));
  await server.close();
  const answer = await poll;
  expect(answer.status).toBe(200);
  expect((await answer.json()).commands).toEqual([]);
});
