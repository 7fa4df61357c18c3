import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_RESTRICTIONS } from '@fleetops/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FleetStateFile, loadFleetState, saveFleetState } from '../src/state-file';

describe('fleet state file', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fleetops-sim-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const locked = { locked: true, restrictions: { ...DEFAULT_RESTRICTIONS, camera: 'off' as const } };
  const state: FleetStateFile = {
    version: 1,
    seed: 9,
    devices: {
      '3': {
        deviceId: '0b7e2c1e-6f3c-4d2a-9c1b-1f2e3d4c5b6a',
        credential: 'dev_secret',
        orgId: '0b7e2c1e-6f3c-4d2a-9c1b-1f2e3d4c5b6b',
        commandSigningKey: 'i+o1F0kIyRHcKQTK98oCGH7UJgByKcZ9bcjtoXDxoZE=',
        enrollmentGeneration: 2,
        state: locked,
        executed: [['c1', { status: 'succeeded', state: locked, result: { rangSeconds: 30 } }]],
        removedApps: ['com.example.game'],
        addedApps: [
          {
            packageId: 'com.example.vpn',
            name: 'VPN',
            version: '2.1',
            installer: 'com.android.vending',
            certificate: null,
          },
        ],
        policy: {
          hash: 'a1b2c3',
          settings: {
            restrictions: { cameraDisabled: true, nfcDisabled: true },
            passwordRequirements: {},
            applications: [{ packageName: 'com.example.vpn', rule: 'required' }],
            audit: {},
            retention: {},
          },
          failures: [{ path: 'restrictions.nfcDisabled', reason: 'this device has no NFC hardware' }],
        },
      },
      '4': {
        deviceId: '0b7e2c1e-6f3c-4d2a-9c1b-1f2e3d4c5b6c',
        credential: 'dev_secret_2',
        orgId: '0b7e2c1e-6f3c-4d2a-9c1b-1f2e3d4c5b6b',
        commandSigningKey: 'i+o1F0kIyRHcKQTK98oCGH7UJgByKcZ9bcjtoXDxoZE=',
        enrollmentGeneration: 1,
        state: locked,
        executed: [],
        removedApps: [],
        addedApps: [],
        gone: 'wiped',
      },
    },
  };

  it('reads back what it wrote', async () => {
    const path = join(dir, 'fleet.json');
    await saveFleetState(path, state);
    expect(await loadFleetState(path)).toEqual(state);
  });

  it('reads a file written before restrictions, signed commands and policies: no policy applied', async () => {
    const path = join(dir, 'old.json');
    const old = { deviceId: state.devices['3']!.deviceId, credential: 'dev_secret', state: { locked: true } };
    await writeFile(path, JSON.stringify({ version: 1, seed: 9, devices: { '3': old } }));
    expect((await loadFleetState(path))?.devices['3']).toEqual({
      ...old,
      enrollmentGeneration: 1,
      state: { locked: true, restrictions: DEFAULT_RESTRICTIONS },
      executed: [],
      removedApps: [],
      addedApps: [],
    });
    expect((await loadFleetState(path))?.devices['3']?.policy).toBeUndefined();
  });

  it('reads a device stored before commands were signed for a generation as the first enrollment', async () => {
    const path = join(dir, 'before-generations.json');
    const { enrollmentGeneration, ...old } = state.devices['3']!;
    await writeFile(path, JSON.stringify({ version: 1, seed: 9, devices: { '3': old } }));
    expect((await loadFleetState(path))?.devices['3']).toEqual({ ...old, enrollmentGeneration: 1 });
  });

  it('reads a missing file as no state', async () => {
    expect(await loadFleetState(join(dir, 'missing.json'))).toBeUndefined();
  });

  it('refuses a file that is not a fleet state file, naming it', async () => {
    const path = join(dir, 'other.json');
    await writeFile(path, '{"hello": 1}');
    await expect(loadFleetState(path)).rejects.toThrow(/other\.json is not a fleet state file/);
    await writeFile(path, 'not json');
    await expect(loadFleetState(path)).rejects.toThrow(/other\.json is not a fleet state file/);
  });

  it('leaves no temporary file behind', async () => {
    const path = join(dir, 'fleet.json');
    await saveFleetState(path, state);
    await saveFleetState(path, { ...state, seed: 10 });
    expect(JSON.parse(await readFile(path, 'utf8')).seed).toBe(10);
    const { readdir } = await import('node:fs/promises');
    expect(await readdir(dir)).toEqual(['fleet.json']);
  });
});
