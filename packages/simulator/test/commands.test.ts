import { DEFAULT_RESTRICTIONS, type DeviceState } from '@fleetops/protocol';
import { describe, expect, it } from 'vitest';
import { CommandLedger } from '../src/command-ledger';
import { DEFAULT_RING_SECONDS, type DeviceSituation, executeCommand } from '../src/commands';

const NOW = new Date('2026-03-01T12:00:00.000Z');
const unlocked: DeviceState = { locked: false, restrictions: { ...DEFAULT_RESTRICTIONS } };

const device = (overrides: Partial<DeviceSituation> = {}): DeviceSituation => ({
  state: unlocked,
  apps: [
    {
      packageId: 'com.example.game',
      name: 'Game',
      version: '1.0',
      installer: 'com.android.vending',
      certificate: null,
    },
    { packageId: 'com.example.mail', name: 'Mail', version: '2.3', installer: null, certificate: null },
  ],
  consent: { location: true, files: true, callLog: true, appUsage: true },
  capabilities: { nfc: true },
  location: { latitude: 48.85, longitude: 2.35, accuracyMeters: 8 },
  now: NOW,
  ...overrides,
});

describe('executeCommand', () => {
  it('locks the device', () => {
    expect(executeCommand({ type: 'lock', params: { message: 'Call IT' } }, device())).toEqual({
      outcome: { status: 'succeeded', state: { ...unlocked, locked: true } },
    });
  });

  it('wipes: reports success, then the device resets itself', () => {
    const execution = executeCommand({ type: 'wipe', params: { keepEsim: true } }, device());
    expect(execution.outcome.status).toBe('succeeded');
    expect(execution.followUp).toBe('factory-reset');
  });

  it('reboots, syncs and retires after reporting success', () => {
    expect(executeCommand({ type: 'reboot', params: {} }, device())).toMatchObject({
      outcome: { status: 'succeeded' },
      followUp: 'reboot',
    });
    expect(executeCommand({ type: 'sync', params: {} }, device()).followUp).toBe('check-in');
    expect(executeCommand({ type: 'retire', params: {} }, device()).followUp).toBe('unenroll');
  });

  it('locates the device when the user granted location', () => {
    expect(executeCommand({ type: 'locate', params: {} }, device()).outcome).toEqual({
      status: 'succeeded',
      result: { latitude: 48.85, longitude: 2.35, accuracyMeters: 8, at: NOW.toISOString() },
    });
  });

  it('does not locate a device whose user withdrew location', () => {
    const withdrawn = device({ consent: { location: false, files: true, callLog: true, appUsage: true } });
    expect(executeCommand({ type: 'locate', params: {} }, withdrawn).outcome).toEqual({
      status: 'failed',
      error: 'location permission withdrawn by the user',
    });
  });

  it('rings for the given time, or the default', () => {
    expect(
      executeCommand({ type: 'ring', params: { durationSeconds: 45 } }, device()).outcome.result,
    ).toEqual({
      rangSeconds: 45,
    });
    expect(executeCommand({ type: 'ring', params: {} }, device()).outcome.result).toEqual({
      rangSeconds: DEFAULT_RING_SECONDS,
    });
  });

  it('shows a message and keeps it as the last one', () => {
    const { outcome } = executeCommand({ type: 'message', params: { title: 'IT', body: 'Hi' } }, device());
    expect(outcome.state?.lastMessage).toEqual({ title: 'IT', body: 'Hi', at: NOW.toISOString() });
  });

  it('changes only the restrictions it is given', () => {
    const { outcome } = executeCommand(
      { type: 'set-restrictions', params: { camera: 'off', nfc: 'off', forceGps: true } },
      device(),
    );
    expect(outcome.state?.restrictions).toEqual({
      ...DEFAULT_RESTRICTIONS,
      camera: 'off',
      nfc: 'off',
      forceGps: true,
    });
  });

  it('refuses to set NFC on a device without it, changing nothing', () => {
    const noNfc = device({ capabilities: { nfc: false } });
    const { outcome } = executeCommand(
      { type: 'set-restrictions', params: { nfc: 'off', camera: 'off' } },
      noNfc,
    );
    expect(outcome).toEqual({ status: 'failed', error: expect.stringContaining('no NFC') });
    expect(
      executeCommand({ type: 'set-restrictions', params: { camera: 'off' } }, noNfc).outcome.status,
    ).toBe('succeeded');
  });

  it('removes an installed app from the inventory', () => {
    const execution = executeCommand(
      { type: 'remove-app', params: { packageId: 'com.example.game' } },
      device(),
    );
    expect(execution.outcome.status).toBe('succeeded');
    expect(execution.apps?.map((app) => app.packageId)).toEqual(['com.example.mail']);
  });

  it('clears the data of an installed app and keeps the app', () => {
    const execution = executeCommand(
      { type: 'clear-app-data', params: { packageId: 'com.example.mail' } },
      device(),
    );
    expect(execution).toEqual({ outcome: { status: 'succeeded' } });
  });

  it.each(['remove-app', 'clear-app-data'])('fails %s of an app that is not installed', (type) => {
    expect(executeCommand({ type, params: { packageId: 'com.absent' } }, device())).toEqual({
      outcome: { status: 'failed', error: 'app not installed: com.absent' },
    });
  });

  it('fails an unknown command type with the reason', () => {
    expect(executeCommand({ type: 'self-destruct', params: {} }, device())).toEqual({
      outcome: { status: 'failed', error: 'unsupported command type: self-destruct' },
    });
  });

  it('fails a command with invalid parameters instead of throwing', () => {
    const { outcome } = executeCommand({ type: 'lock', params: { message: 42 } }, device());
    expect(outcome.status).toBe('failed');
    expect(outcome.error).toMatch(/invalid lock parameters/);
  });

  it('treats inherited property names as unknown command types', () => {
    expect(executeCommand({ type: 'toString', params: {} }, device()).outcome.status).toBe('failed');
  });
});

describe('CommandLedger', () => {
  const locked = { status: 'succeeded' as const, state: { ...unlocked, locked: true } };

  it('remembers a command from its start to its result', () => {
    const ledger = new CommandLedger();
    expect(ledger.lookup('a')).toEqual({ kind: 'new' });
    ledger.begin('a');
    expect(ledger.lookup('a')).toEqual({ kind: 'running' });
    ledger.finish('a', locked);
    expect(ledger.lookup('a')).toEqual({ kind: 'done', outcome: locked });
    expect(ledger.done()).toEqual([['a', locked]]);
  });

  it('comes back from stored results and forgets commands it never ran', () => {
    const ledger = new CommandLedger([['a', { status: 'failed', error: 'no' }]]);
    expect(ledger.lookup('a').kind).toBe('done');
    ledger.begin('b');
    ledger.forget('b');
    expect(ledger.lookup('b')).toEqual({ kind: 'new' });
  });

  it('keeps only the most recent commands', () => {
    const ledger = new CommandLedger([], 3);
    for (const id of ['a', 'b', 'c', 'd']) ledger.finish(id, { status: 'succeeded' });
    expect(ledger.done().map(([id]) => id)).toEqual(['b', 'c', 'd']);
  });
});
