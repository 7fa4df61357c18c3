import { describe, expect, it } from 'vitest';
import {
  COMMAND_PARAMS,
  CommandRequest,
  CommandType,
  DESTRUCTIVE_COMMANDS,
  SendCommandRequest,
} from './commands';
import { DeviceState } from './device';
import { CommandResultRequest } from './device-api';

/** The dotted path and message of each issue, as the server reports them. */
const issuesOf = (body: unknown) => {
  const parsed = SendCommandRequest.safeParse(body);
  expect(parsed.success, JSON.stringify(body)).toBe(false);
  return parsed.error!.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
};

describe('the command catalogue', () => {
  it('has a parameter schema and a request shape for every command type', () => {
    expect(Object.keys(COMMAND_PARAMS).sort()).toEqual([...CommandType.options].sort());
    const requestTypes = CommandRequest.options.map((option) => option.shape.type.value);
    expect(requestTypes.sort()).toEqual([...CommandType.options].sort());
    expect(DESTRUCTIVE_COMMANDS).toEqual(['wipe', 'retire']);
  });

  const good: [string, Record<string, unknown> | undefined, Record<string, unknown>][] = [
    ['lock', undefined, {}],
    ['lock', { message: 'Return to IT\nRoom 4' }, { message: 'Return to IT\nRoom 4' }],
    ['wipe', undefined, { keepEsim: false, wipeExternalStorage: false }],
    [
      'wipe',
      { keepEsim: true, wipeExternalStorage: true, reason: 'reported lost' },
      { keepEsim: true, wipeExternalStorage: true, reason: 'reported lost' },
    ],
    ['reboot', {}, {}],
    ['locate', undefined, {}],
    ['ring', undefined, {}],
    ['ring', { durationSeconds: 5 }, { durationSeconds: 5 }],
    ['ring', { durationSeconds: 300 }, { durationSeconds: 300 }],
    ['message', { body: 'Please call IT' }, { body: 'Please call IT' }],
    ['message', { title: 'IT', body: 'Update tonight' }, { title: 'IT', body: 'Update tonight' }],
    ['set-restrictions', { camera: 'off' }, { camera: 'off' }],
    [
      'set-restrictions',
      {
        wifi: 'on',
        camera: 'off',
        bluetooth: 'off',
        nfc: 'off',
        calls: 'on',
        factoryReset: 'off',
        screenshots: 'off',
        forceGps: true,
      },
      {
        wifi: 'on',
        camera: 'off',
        bluetooth: 'off',
        nfc: 'off',
        calls: 'on',
        factoryReset: 'off',
        screenshots: 'off',
        forceGps: true,
      },
    ],
    ['set-restrictions', { forceGps: false }, { forceGps: false }],
    ['remove-app', { packageId: 'com.example.game' }, { packageId: 'com.example.game' }],
    ['clear-app-data', { packageId: 'com.example.mail' }, { packageId: 'com.example.mail' }],
    ['sync', undefined, {}],
    ['retire', {}, {}],
  ];

  it.each(good)('accepts %s with %j, giving params %j', (type, params, expected) => {
    const parsed = SendCommandRequest.parse(params === undefined ? { type } : { type, params });
    expect(parsed).toEqual({ type, params: expected, ttlSeconds: 7 * 24 * 3600 });
  });

  const bad: [string, unknown, string, RegExp][] = [
    ['lock', { message: 42 }, 'params.message', /string/],
    ['lock', { message: 'x', extra: 1 }, 'params', /extra/],
    ['wipe', { keepEsim: 'yes' }, 'params.keepEsim', /boolean/],
    ['wipe', { reason: 'lost\u001b[2J' }, 'params.reason', /control characters/],
    ['wipe', { keepSim: true }, 'params', /keepSim/],
    ['reboot', { now: true }, 'params', /now/],
    ['locate', { precise: true }, 'params', /precise/],
    ['ring', { durationSeconds: 4 }, 'params.durationSeconds', />=5/],
    ['ring', { durationSeconds: 301 }, 'params.durationSeconds', /<=300/],
    ['ring', { durationSeconds: 10.5 }, 'params.durationSeconds', /int/],
    ['message', {}, 'params.body', /string/],
    ['message', { body: '' }, 'params.body', />=1/],
    ['message', { title: 'a\nb', body: 'x' }, 'params.title', /control characters/],
    ['set-restrictions', {}, 'params', /at least one restriction/],
    ['set-restrictions', { camera: 'disabled' }, 'params.camera', /"on"|"off"/],
    ['set-restrictions', { forceGps: 'on' }, 'params.forceGps', /boolean/],
    ['set-restrictions', { microphone: 'off' }, 'params', /microphone/],
    ['remove-app', {}, 'params.packageId', /string/],
    ['clear-app-data', { packageId: '' }, 'params.packageId', />=1/],
    ['sync', { full: true }, 'params', /full/],
    ['retire', { wipe: true }, 'params', /wipe/],
  ];

  it.each(bad)('refuses %s with %j, naming %s', (type, params, path, message) => {
    const [first] = issuesOf({ type, params });
    expect(first!.path).toBe(path);
    expect(first!.message).toMatch(message);
  });

  it('requires the parameters of message, set-restrictions, remove-app and clear-app-data', () => {
    for (const type of ['message', 'set-restrictions', 'remove-app', 'clear-app-data']) {
      expect(issuesOf({ type })[0]!.path).toBe('params');
    }
  });

  it('refuses an unknown command type by its field', () => {
    expect(issuesOf({ type: 'self-destruct' })[0]!.path).toBe('type');
  });

  it('keeps the time to live of a send request', () => {
    expect(SendCommandRequest.parse({ type: 'sync', ttlSeconds: 60 }).ttlSeconds).toBe(60);
    expect(issuesOf({ type: 'sync', ttlSeconds: 5 })[0]!.path).toBe('ttlSeconds');
  });
});

describe('device state and results', () => {
  it('reads a state reported by an older device with the default restrictions', () => {
    expect(DeviceState.parse({ locked: true })).toEqual({
      locked: true,
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
  });

  it('fills in restrictions a device does not report, and keeps the ones it does', () => {
    const state = DeviceState.parse({ locked: false, restrictions: { camera: 'off', forceGps: true } });
    expect(state.restrictions).toMatchObject({ camera: 'off', forceGps: true, wifi: 'on' });
  });

  it('carries what a command produced alongside its status', () => {
    const report = {
      status: 'succeeded',
      result: { latitude: 48.85, longitude: 2.35, accuracyMeters: 12, at: '2026-01-01T00:00:00Z' },
    };
    expect(CommandResultRequest.parse(report)).toEqual(report);
  });
});
