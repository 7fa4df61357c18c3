import { describe, expect, it } from 'vitest';
import { ExitCode, UsageError } from '../../errors';
import { describeProblem, jobRequest, verbArguments } from './request';
import type { ResolvedTargets } from './sources';
import { BULK_VERBS } from './verbs';

const verb = (type: string) => BULK_VERBS.find((v) => v.type === type)!;
const all: ResolvedTargets = { targets: { all: true } };
const DEVICE = '0193c2d1-7f3a-7b4c-8d5e-6f708192a3b4';

/** The job `fleetops TYPE` sends for `opts`. */
const request = (type: string, opts: Record<string, unknown>, targets = all) =>
  jobRequest(verb(type), opts, verbArguments(verb(type), opts), targets);

/** The usage error `fleetops TYPE` gives for `opts`. */
function usageError(type: string, opts: Record<string, unknown>): UsageError {
  try {
    request(type, opts);
  } catch (error) {
    if (error instanceof UsageError) return error;
    throw error;
  }
  throw new Error('expected a usage error');
}

describe('jobRequest', () => {
  it('turns flags into the command parameters and the job fields', () => {
    expect(
      request('wipe', {
        keepEsim: true,
        reason: 'stolen',
        ttl: '2d',
        delay: '15m',
        after: DEVICE,
        expectCount: 0,
        maxTargets: 10,
      }),
    ).toEqual({
      type: 'wipe',
      params: { keepEsim: true, reason: 'stolen' },
      targets: { all: true },
      reason: 'stolen',
      ttlSeconds: 172_800,
      delaySeconds: 900,
      afterJobId: DEVICE,
      expectCount: 0,
      maxTargets: 10,
    });
  });

  it('sends only the parameters given: the server applies its defaults', () => {
    expect(request('lock', {})).toEqual({ type: 'lock', params: {}, targets: { all: true } });
  });

  it('a duration flag becomes seconds; --no-force-gps is false', () => {
    expect(request('ring', { duration: '1m' }).params).toEqual({ durationSeconds: 60 });
    expect(request('set-restrictions', { camera: 'off', forceGps: false }).params).toEqual({
      camera: 'off',
      forceGps: false,
    });
  });

  it('an out-of-range flag is a usage error naming the flag, in its own units', () => {
    const error = usageError('ring', { duration: '10m', ttl: '5s' });
    expect(error.exitCode).toBe(ExitCode.usage);
    expect(error.message).toBe('--duration: at most 5m; --ttl: at least 10s');
  });

  it('a rule over several parameters names their flags', () => {
    expect(usageError('set-restrictions', {}).message).toBe(
      'give at least one restriction to change: --wifi, --camera, --bluetooth, --nfc, --calls, ' +
        '--factory-reset, --screenshots, --force-gps',
    );
  });

  it('--after must be a job id', () => {
    expect(usageError('sync', { after: 'yesterday' }).message).toBe(
      '"yesterday" is not a job id (expected a UUID)',
    );
  });
});

describe('verbArguments', () => {
  it('the first argument of remove-app is the app, the rest are devices', () => {
    expect(verbArguments(verb('remove-app'), { app: 'com.example.game', deviceIds: [DEVICE] })).toEqual({
      packageId: 'com.example.game',
      deviceIds: [DEVICE],
    });
  });

  it('with --package, every argument is a device', () => {
    expect(verbArguments(verb('clear-app-data'), { package: 'com.example.mail', app: DEVICE })).toEqual({
      packageId: 'com.example.mail',
      deviceIds: [DEVICE],
    });
  });

  it('a device id where the app belongs, or no app at all, is a usage error', () => {
    expect(() => verbArguments(verb('remove-app'), { app: DEVICE })).toThrow(
      `"${DEVICE}" is a device id: give the app's package id first`,
    );
    expect(() => verbArguments(verb('remove-app'), {})).toThrow(UsageError);
  });

  it('other verbs take devices only', () => {
    expect(verbArguments(verb('lock'), { deviceIds: [DEVICE] })).toEqual({ deviceIds: [DEVICE] });
  });
});

describe('describeProblem', () => {
  const body = request(
    'lock',
    {},
    {
      targets: {
        devices: [
          { by: 'serial', value: 'SER1', line: 2 },
          { by: 'serial', value: 'SER2', line: 7 },
        ],
      },
      source: 'lost.csv',
    },
  );

  it('names the line of the list that named the device', () => {
    const problem = { path: ['targets', 'devices', 1, 'value'], message: 'Too long' };
    expect(describeProblem(verb('lock'), body, 'lost.csv', problem)).toBe('lost.csv:7: too long');
  });

  it('names the flag of a parameter the server refused', () => {
    const problem = { path: ['params', 'message'], message: 'Too long' };
    expect(describeProblem(verb('lock'), body, 'lost.csv', problem)).toBe('--message: too long');
  });
});
