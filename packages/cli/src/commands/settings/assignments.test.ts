import { describe, expect, it } from 'vitest';
import { UsageError } from '../../errors';
import { parseAssignments } from './assignments';

describe('settings set KEY=VALUE', () => {
  it('sets retention per type (kebab or camel), the action and the safety settings', () => {
    expect(
      parseAssignments([
        'retention.location=30d',
        'retention.call-log=default',
        'retentionAction=delete',
        'approvalThreshold=off',
        'destructiveBudgetPerHour=20',
      ]),
    ).toEqual({
      patch: { retentionAction: 'delete', approvalThreshold: null, destructiveBudgetPerHour: 20 },
      retention: { location: '30d', callLog: null },
    });
  });

  it.each([
    ['retention.calls=30d', /unknown setting "retention.calls"/],
    ['retention.location=forever', /retention.location: expected a duration such as 30d, or default/],
    ['retentionAction=shred', /expected delete or anonymize/],
    ['approvalThreshold=-1', /expected a whole number of at least 0, or off/],
    ['retention.location', /expected KEY=VALUE/],
    ['colour=blue', /unknown setting "colour"/],
  ])('%s is a usage error', (assignment, message) => {
    expect(() => parseAssignments([assignment])).toThrow(UsageError);
    expect(() => parseAssignments([assignment])).toThrow(message);
  });
});
