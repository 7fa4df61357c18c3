import {
  ComplianceEventType,
  GraceDuration,
  RemediationAction,
  RuleName,
  Severity,
} from '@fleetops/protocol';
import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { ExitCode } from '../../errors';
import { failOnExitCode } from './fail-on';
import { count, EVENT_TYPES, eventType, grace, REMEDIATION_ACTIONS, ruleName, SEVERITIES } from './options';

describe('the choices of the compliance flags', () => {
  // Copies, so that `--help` does not load the protocol: they must not drift from it.
  it('are exactly the protocol’s severities, actions and event types', () => {
    expect(SEVERITIES).toEqual(Severity.options);
    expect(REMEDIATION_ACTIONS).toEqual(RemediationAction.options);
    expect(EVENT_TYPES).toEqual(ComplianceEventType.options);
  });

  it.each([
    'no-stalkerware',
    'os-min-14',
    '7',
    'No-Stalkerware',
    '-leading-dash',
    'under_score',
    'a'.repeat(63),
    'a'.repeat(64),
  ])('--rule %s is taken exactly when the protocol takes the name', (name) => {
    const valid = RuleName.safeParse(name).success;
    if (valid) expect(ruleName(name)).toBe(name);
    else expect(() => ruleName(name)).toThrow(InvalidArgumentError);
  });

  it.each(['0s', '24h', '3d', '2w', '90m', '00h', '1y', '24 h', '-1d', '1234567d'])(
    '--grace %s is taken exactly when the protocol takes it',
    (text) => {
      const valid = GraceDuration.safeParse(text).success;
      if (valid) expect(grace(text)).toBe(text);
      else expect(() => grace(text)).toThrow('expected a duration such as 0s, 24h, 3d or 2w');
    },
  );

  it('--expect-count takes 0 but no negative or fractional count', () => {
    expect(count('0')).toBe(0);
    expect(count('12')).toBe(12);
    for (const text of ['-1', '1.5', 'ten']) expect(() => count(text)).toThrow(InvalidArgumentError);
  });

  it('--type takes noncompliant or compliant, with or without device.', () => {
    expect(eventType('noncompliant')).toBe('device.noncompliant');
    expect(eventType('device.compliant')).toBe('device.compliant');
    expect(() => eventType('violated')).toThrow('expected noncompliant or compliant');
  });
});

describe('--fail-on', () => {
  it('exits 4 when a violation is at or above the severity, else 0', () => {
    expect(failOnExitCode(['low', 'high'], 'high')).toBe(ExitCode.complianceViolations);
    expect(failOnExitCode(['critical'], 'high')).toBe(ExitCode.complianceViolations);
    expect(failOnExitCode(['low', 'medium'], 'high')).toBe(ExitCode.ok);
    expect(failOnExitCode([], 'low')).toBe(ExitCode.ok);
  });

  it('never fails without --fail-on', () => {
    expect(failOnExitCode(['critical'], undefined)).toBe(ExitCode.ok);
  });
});
