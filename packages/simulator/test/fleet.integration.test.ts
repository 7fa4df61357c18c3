import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CreatedEnrollmentToken } from '@fleetops/protocol';
import { type RunningServer, startServer } from '@fleetops/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FleetEvent, generateDevice, type RunningFleet, startFleet } from '../src/index';
import { adminClient, until } from './helpers';

const SEED = 42;
const DEVICES = 20;

describe('a simulated fleet against the real server', () => {
  let server: RunningServer;
  let admin: ReturnType<typeof adminClient>;
  let dir: string;
  let fleet: RunningFleet | undefined;
  const events: FleetEvent[] = [];
  let enrollment: CreatedEnrollmentToken;

  const start = (devices = DEVICES) =>
    startFleet({
      serverUrl: server.url,
      enrollmentToken: enrollment.token,
      devices,
      seed: SEED,
      stateFile: join(dir, 'fleet.json'),
      pollWaitSeconds: 2,
      onEvent: (event) => events.push(event),
    });

  beforeAll(async () => {
    server = await startServer({ port: 0, logLevel: 'silent' });
    admin = adminClient(server);
    dir = await mkdtemp(join(tmpdir(), 'fleetops-fleet-'));
    enrollment = await admin.createEnrollmentToken();
  });

  afterAll(async () => {
    await fleet?.stop();
    await server?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('enrolls every device with its generated facts', async () => {
    fleet = await start();
    await fleet.ready;

    const devices = await admin.devices();
    expect(devices).toHaveLength(DEVICES);
    const expected = Array.from({ length: DEVICES }, (_, i) => generateDevice(SEED, i).facts.serial);
    expect(devices.map((d) => d.facts.serial).sort()).toEqual([...expected].sort());
    const first = devices.find((d) => d.facts.serial === expected[0])!;
    expect(first.facts).toEqual(generateDevice(SEED, 0).facts);
    expect(first.appCount).toBe(generateDevice(SEED, 0).apps.length);
    expect(fleet.stats()).toMatchObject({ devices: DEVICES, enrolled: DEVICES, online: DEVICES });
    expect(events.filter((e) => e.type === 'enrolled')).toHaveLength(DEVICES);
  });

  it('locks a device on command and reports the new state', async () => {
    const [target] = await admin.devices();
    const sent = await admin.lock(target!.id);
    await until('the lock succeeded', async () => (await admin.command(sent.id)).status === 'succeeded');

    expect((await admin.device(target!.id)).state.locked).toBe(true);
    expect(fleet!.stats().commandsExecuted).toBe(1);
    expect(events).toContainEqual(
      expect.objectContaining({
        type: 'command-executed',
        deviceId: target!.id,
        commandId: sent.id,
        status: 'succeeded',
      }),
    );
  });

  it('comes back as the same devices, in the same state, after a restart', async () => {
    const before = await admin.devices();
    await fleet!.stop();
    events.length = 0;

    fleet = await start();
    await fleet.ready;

    const after = await admin.devices();
    expect(after.map((d) => d.id).sort()).toEqual(before.map((d) => d.id).sort());
    expect(events.filter((e) => e.type === 'restored')).toHaveLength(DEVICES);
    expect(events.filter((e) => e.type === 'enrolled')).toHaveLength(0);
    const locked = before.find((d) => d.state.locked)!;
    expect(fleet.devices().find((d) => d.deviceId === locked.id)?.locked).toBe(true);
    expect((await admin.device(locked.id)).state.locked).toBe(true);
  });

  it('stops a device for good when it is retired', async () => {
    const [, victim] = await admin.devices();
    await admin.retire(victim!.id);

    await until('the retired device stopped', () => events.some((e) => e.type === 'stopped'));
    expect(events.filter((e) => e.type === 'stopped')).toEqual([
      expect.objectContaining({ deviceId: victim!.id, reason: 'retired' }),
    ]);
    expect(fleet!.devices().find((d) => d.deviceId === victim!.id)?.status).toBe('retired');
    expect(fleet!.stats().enrolled).toBe(DEVICES - 1);
    expect(await admin.devices()).toHaveLength(DEVICES - 1);
  });

  it('enrolls a retired device again on restart while the enrollment token works', async () => {
    await fleet!.stop();
    events.length = 0;

    fleet = await start();
    await fleet.ready;

    expect(events.filter((e) => e.type === 'credential-rejected')).toHaveLength(1);
    expect(events.filter((e) => e.type === 'enrolled')).toHaveLength(1);
    expect(await admin.devices()).toHaveLength(DEVICES);
    expect(fleet.stats().enrolled).toBe(DEVICES);
  });

  it('reports a device it cannot enroll again once the token is revoked', async () => {
    const [, victim] = await admin.devices();
    await admin.retire(victim!.id);
    await admin.revokeEnrollmentToken(enrollment.id);
    await fleet!.stop();
    events.length = 0;

    fleet = await start();
    await expect(fleet.ready).rejects.toThrow(
      /1 of 20 devices could not join \(enrollment-refused: enrollment_token_revoked/,
    );

    expect(events.filter((e) => e.type === 'stopped')).toEqual([
      expect.objectContaining({ reason: 'enrollment-refused', deviceId: null }),
    ]);
    expect(fleet.stats()).toMatchObject({ devices: DEVICES, enrolled: DEVICES - 1 });
    expect(await admin.devices()).toHaveLength(DEVICES - 1);
  });
});

describe('a simulated fleet whose server restarts', () => {
  it('keeps its devices and executes commands sent after the restart', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fleetops-restart-'));
    const dataDir = join(dir, 'server');
    let server = await startServer({ port: 0, logLevel: 'silent', dataDir });
    const port = new URL(server.url).port;
    const errors: FleetEvent[] = [];
    const enrollment = await server.createEnrollmentToken({ group: 'simulated' });
    const fleet = await startFleet({
      serverUrl: server.url,
      enrollmentToken: enrollment.token,
      devices: 5,
      pollWaitSeconds: 2,
      onEvent: (event) => {
        if (event.type === 'error') errors.push(event);
      },
    });
    try {
      await fleet.ready;
      await server.close();
      await until('the devices noticed the server is gone', () => fleet.stats().online < 5);

      server = await startServer({ port: Number(port), logLevel: 'silent', dataDir });
      const admin = adminClient({ ...server, adminToken: await server.createAdminToken('test') });
      const [target] = await admin.devices();
      const sent = await admin.lock(target!.id);
      await until('the lock succeeded', async () => (await admin.command(sent.id)).status === 'succeeded');

      expect(await admin.devices()).toHaveLength(5);
      expect(errors.length).toBeGreaterThan(0);
      expect(errors.every((e) => e.type === 'error' && e.retryInMs !== undefined)).toBe(true);
      await until('every device is back online', () => fleet.stats().online === 5);
    } finally {
      await fleet.stop();
      await server.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('a simulated fleet with a wrong enrollment token', () => {
  it('rejects `ready` with the reason the server gave', async () => {
    const server = await startServer({ port: 0, logLevel: 'silent' });
    try {
      const fleet = await startFleet({ serverUrl: server.url, enrollmentToken: 'not-a-token', devices: 3 });
      await expect(fleet.ready).rejects.toThrow(/3 of 3 devices could not join \(enrollment-refused/);
      expect(fleet.stats()).toMatchObject({ enrolled: 0, online: 0 });
      await fleet.stop();
    } finally {
      await server.close();
    }
  });
});
