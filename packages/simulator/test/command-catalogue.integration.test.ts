import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Command, DEFAULT_RESTRICTIONS, type SendCommandRequest } from '@fleetops/protocol';
import { type RunningServer, startServer } from '@fleetops/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type FleetEvent,
  type GeneratedDevice,
  generateDevice,
  type RunningFleet,
  startFleet,
} from '../src/index';
import { FleetStateFile } from '../src/state-file';
import { adminClient, type DeviceProxy, startDeviceProxy, until } from './helpers';

const SEED = 7;
const DEVICES = 20;
const generated = Array.from({ length: DEVICES }, (_, index) => generateDevice(SEED, index));

describe('every command type on a simulated fleet against the real server', () => {
  let server: RunningServer;
  let admin: ReturnType<typeof adminClient>;
  let proxy: DeviceProxy;
  let dir: string;
  let fleet: RunningFleet;
  let enrollmentToken: string;
  const events: FleetEvent[] = [];
  /** Called with each event as it happens, while the device is in the state the event tells of. */
  let onEvent: (event: FleetEvent) => void = () => {};
  const taken = new Set<number>();

  const start = () =>
    startFleet({
      serverUrl: proxy.url,
      enrollmentToken,
      devices: DEVICES,
      seed: SEED,
      stateFile: join(dir, 'fleet.json'),
      pollWaitSeconds: 2,
      onEvent: (event) => {
        events.push(event);
        onEvent(event);
      },
    });

  /** A device no other test has used yet, that fits `wanted`. */
  const take = (wanted: (device: GeneratedDevice) => boolean = () => true) => {
    const index = generated.findIndex((device, i) => !taken.has(i) && wanted(device));
    if (index < 0) throw new Error('no device left that fits');
    taken.add(index);
    return { index, id: fleet.devices()[index]!.deviceId!, device: generated[index]! };
  };

  /** Sends a command and waits for its final status. */
  const run = async (deviceId: string, request: SendCommandRequest): Promise<Command> => {
    const sent = await admin.send(deviceId, request);
    let command = sent;
    await until(`the ${request.type} command finished`, async () => {
      command = await admin.command(sent.id);
      return command.status === 'succeeded' || command.status === 'failed';
    });
    return command;
  };

  beforeAll(async () => {
    server = await startServer({ port: 0, logLevel: 'silent' });
    admin = adminClient(server);
    proxy = await startDeviceProxy(server.url);
    dir = await mkdtemp(join(tmpdir(), 'fleetops-catalogue-'));
    enrollmentToken = (await admin.createEnrollmentToken()).token;
    fleet = await start();
    await fleet.ready;
  });

  afterAll(async () => {
    await fleet?.stop();
    await proxy?.close();
    await server?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('lock: the device locks', async () => {
    const { index, id } = take();
    expect(await run(id, { type: 'lock', params: { message: 'Return to IT' } })).toMatchObject({
      status: 'succeeded',
    });
    expect((await admin.device(id)).state.locked).toBe(true);
    expect(fleet.devices()[index]!.locked).toBe(true);
  });

  it('message: the device shows it and keeps it as its last message', async () => {
    const { id } = take();
    const command = await run(id, { type: 'message', params: { title: 'IT', body: 'Update tonight' } });
    expect(command.status).toBe('succeeded');
    expect((await admin.device(id)).state.lastMessage).toEqual({
      title: 'IT',
      body: 'Update tonight',
      at: expect.any(String),
    });
  });

  it('set-restrictions: the device applies exactly the restrictions given', async () => {
    const { id } = take((device) => device.capabilities.nfc);
    const command = await run(id, {
      type: 'set-restrictions',
      params: { camera: 'off', nfc: 'off', screenshots: 'off', forceGps: true },
    });
    expect(command.status).toBe('succeeded');
    expect((await admin.device(id)).state.restrictions).toEqual({
      ...DEFAULT_RESTRICTIONS,
      camera: 'off',
      nfc: 'off',
      screenshots: 'off',
      forceGps: true,
    });
  });

  it('set-restrictions: a device without NFC refuses to set it and changes nothing', async () => {
    const { id } = take((device) => !device.capabilities.nfc);
    const command = await run(id, { type: 'set-restrictions', params: { nfc: 'off', camera: 'off' } });
    expect(command).toMatchObject({ status: 'failed', error: expect.stringContaining('no NFC') });
    expect((await admin.device(id)).state.restrictions).toEqual(DEFAULT_RESTRICTIONS);
  });

  it('locate: the device reports where it is when the user allows location', async () => {
    const { id, device } = take((d) => d.consent.location);
    const command = await run(id, { type: 'locate' });
    expect(command).toMatchObject({ status: 'succeeded', error: null });
    expect(command.result).toEqual({ ...device.location, at: expect.any(String) });
  });

  it('locate: fails when the user withdrew location', async () => {
    const { id } = take((d) => !d.consent.location);
    const command = await run(id, { type: 'locate' });
    expect(command).toMatchObject({
      status: 'failed',
      error: 'location permission withdrawn by the user',
      result: null,
    });
  });

  it('ring: the device rings for the time given', async () => {
    const { id } = take();
    const command = await run(id, { type: 'ring', params: { durationSeconds: 10 } });
    expect(command).toMatchObject({ status: 'succeeded', result: { rangSeconds: 10 } });
  });

  it('clear-app-data and remove-app: act on installed apps, and the inventory follows', async () => {
    const { id, device } = take();
    const [app] = device.apps;
    expect((await admin.apps(id)).map((a) => a.packageId)).toContain(app!.packageId);

    const cleared = await run(id, { type: 'clear-app-data', params: { packageId: app!.packageId } });
    expect(cleared.status).toBe('succeeded');
    const removed = await run(id, { type: 'remove-app', params: { packageId: app!.packageId } });
    expect(removed.status).toBe('succeeded');
    expect((await run(id, { type: 'sync' })).status).toBe('succeeded');
    await until('the server knows the app is gone', async () =>
      (await admin.apps(id)).every((a) => a.packageId !== app!.packageId),
    );
    expect(await admin.apps(id)).toHaveLength(device.apps.length - 1);

    for (const type of ['remove-app', 'clear-app-data'] as const) {
      expect(await run(id, { type, params: { packageId: app!.packageId } })).toMatchObject({
        status: 'failed',
        error: `app not installed: ${app!.packageId}`,
      });
    }
  });

  it('sync: the device checks in at once', async () => {
    const { id } = take();
    const checkIns = fleet.stats().checkIns;
    expect((await run(id, { type: 'sync' })).status).toBe('succeeded');
    await until('the device checked in', () => fleet.stats().checkIns > checkIns);
  });

  it('reboot: the device goes offline for a moment, then checks in again', async () => {
    const { index, id } = take();
    let onlineWhileRebooting: boolean | undefined;
    const seen = events.length;
    onEvent = (event) => {
      if (event.type === 'rebooting' && event.deviceId === id) {
        onlineWhileRebooting = fleet.devices()[index]!.online;
      }
    };
    try {
      expect((await run(id, { type: 'reboot' })).status).toBe('succeeded');
      await until('the device is back', () =>
        events.slice(seen).some((e) => e.type === 'rebooted' && e.deviceId === id),
      );
    } finally {
      onEvent = () => {};
    }
    const mine = events.slice(seen).filter((e) => 'deviceId' in e && e.deviceId === id);
    expect(mine.map((e) => e.type)).toEqual(['command-executed', 'rebooting', 'rebooted']);
    expect(onlineWhileRebooting).toBe(false);
    expect(fleet.devices()[index]!).toMatchObject({ status: 'running', online: true });
  });

  it('refuses a command changed on the way, reports why, and does not execute it', async () => {
    const { index, id } = take();
    // The server sends a lock; someone on the path turns it into a wipe.
    proxy.rewrite = (command) =>
      command.type === 'lock' && (command.params as { message?: string }).message === 'tampered'
        ? { ...command, type: 'wipe', params: { keepEsim: false, wipeExternalStorage: true } }
        : command;
    try {
      const command = await run(id, { type: 'lock', params: { message: 'tampered' } });
      expect(command).toMatchObject({
        status: 'failed',
        error: 'signature does not verify for this enrollment',
      });
    } finally {
      proxy.rewrite = (command) => command;
    }
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'command-refused', deviceId: id, commandType: 'wipe' }),
    );
    expect(fleet.devices()[index]).toMatchObject({ status: 'running', locked: false });
    expect(await admin.device(id)).toMatchObject({ status: 'active', state: { locked: false } });

    // Untouched, the same command goes through.
    expect((await run(id, { type: 'lock', params: { message: 'genuine' } })).status).toBe('succeeded');
  });

  it('wipe: the device reports success, then is gone', async () => {
    const { index, id } = take();
    const command = await run(id, { type: 'wipe', params: { reason: 'reported lost' } });
    expect(command.status).toBe('succeeded');
    await until('the device stopped', () => fleet.devices()[index]!.status === 'wiped');
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'stopped', deviceId: id, reason: 'wiped' }),
    );
    expect((await admin.device(id)).status).toBe('retired');
  });

  it('retire: the device reports success, then leaves management', async () => {
    const { index, id } = take();
    expect((await run(id, { type: 'retire' })).status).toBe('succeeded');
    await until('the device stopped', () => fleet.devices()[index]!.status === 'retired');
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'stopped', deviceId: id, reason: 'unenrolled' }),
    );
    expect((await admin.device(id)).status).toBe('retired');
  });

  it('keeps wiped and retired devices gone, and removed apps removed, after a restart', async () => {
    await fleet.stop();
    const stored = FleetStateFile.parse(JSON.parse(await readFile(join(dir, 'fleet.json'), 'utf8')));
    const gone = Object.entries(stored.devices).filter(([, device]) => device.gone);
    expect(gone.map(([, device]) => device.gone).sort()).toEqual(['retired', 'wiped']);
    const withRemovedApp = Object.values(stored.devices).find((device) => device.removedApps.length > 0)!;
    expect(withRemovedApp.removedApps).toHaveLength(1);

    events.length = 0;
    fleet = await start();
    await fleet.ready;

    expect(events.filter((e) => e.type === 'enrolled')).toEqual([]);
    expect(events.filter((e) => e.type === 'restored')).toHaveLength(DEVICES - 2);
    for (const [index, device] of gone) {
      expect(fleet.devices()[Number(index)]).toMatchObject({
        deviceId: device.deviceId,
        status: device.gone,
      });
    }
    expect(fleet.stats().enrolled).toBe(DEVICES - 2);
    expect(await admin.devices()).toHaveLength(DEVICES - 2);
    const apps = (await admin.apps(withRemovedApp.deviceId)).map((app) => app.packageId);
    expect(apps).not.toContain(withRemovedApp.removedApps[0]);
  });
});
