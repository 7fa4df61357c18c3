import { AUDIT_CATEGORIES } from '@fleetops/protocol';
import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { pointInTime } from './filters';
import { AUDIT_TYPES, auditTypes, timeBound } from './options';

describe('--type', () => {
  // A copy, so that `--help` does not load the protocol: it must not drift from it.
  it('knows exactly the protocol’s categories', () => {
    expect(AUDIT_TYPES).toEqual(AUDIT_CATEGORIES);
  });

  it('takes kebab or camel case, once each', () => {
    expect(auditTypes('location,call-log,callLog, app-usage')).toEqual(['location', 'callLog', 'appUsage']);
  });

  it('refuses an unknown type, listing the valid ones', () => {
    expect(() => auditTypes('location,calls')).toThrow(InvalidArgumentError);
    expect(() => auditTypes('calls')).toThrow(
      /unknown type "calls": expected location, call-log, app-usage,/,
    );
  });
});

describe('--since and --until', () => {
  const now = new Date('2026-03-10T12:00:00Z');

  it.each([
    ['24h', '2026-03-09T12:00:00.000Z'],
    ['7d', '2026-03-03T12:00:00.000Z'],
    ['2026-01-01', '2026-01-01T00:00:00.000Z'],
    ['2026-01-01T09:30:00+02:00', '2026-01-01T07:30:00.000Z'],
  ])('%s is %s', (text, iso) => {
    expect(pointInTime(timeBound(text), now)).toBe(iso);
  });

  it.each(['yesterday', '2026-13-01', '2026-01-01T09:30', '7 days'])('refuses %s', (text) => {
    expect(() => timeBound(text)).toThrow(InvalidArgumentError);
  });
});
