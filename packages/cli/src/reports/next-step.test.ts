import { describe, expect, it } from 'vitest';
import { nextStepText, timeLeft } from './next-step';

const now = new Date('2026-03-10T12:00:00.000Z');
const inHours = (hours: number) => new Date(now.getTime() + hours * 3_600_000).toISOString();

describe('nextStepText', () => {
  it('says what happens next and when', () => {
    expect(nextStepText({ action: 'lock', dueAt: inHours(48), byodRetire: false }, now)).toBe(
      'locks in 2 days',
    );
    expect(nextStepText({ action: 'wipe', dueAt: inHours(5.2), byodRetire: false }, now)).toBe(
      'wiped in 5 h',
    );
    expect(nextStepText({ action: 'notify', dueAt: inHours(0.25), byodRetire: false }, now)).toBe(
      'notified in 15 min',
    );
    expect(nextStepText({ action: 'remove-app', dueAt: inHours(30), byodRetire: false }, now)).toBe(
      'app removed in 30 h',
    );
  });

  it('a wipe of a BYOD device is a retire', () => {
    expect(nextStepText({ action: 'wipe', dueAt: inHours(72), byodRetire: true }, now)).toBe(
      'retired in 3 days',
    );
  });

  it('a step whose time has come is due now', () => {
    expect(nextStepText({ action: 'lock', dueAt: inHours(-3), byodRetire: false }, now)).toBe('lock due now');
    expect(nextStepText({ action: 'lock', dueAt: now.toISOString(), byodRetire: false }, now)).toBe(
      'lock due now',
    );
  });

  it('is empty when the ladder has no step left', () => {
    expect(nextStepText(null, now)).toBe('');
  });
});

describe('timeLeft', () => {
  it('rounds to the nearest unit, never to 0 min', () => {
    expect(timeLeft(1000)).toBe('1 min');
    expect(timeLeft(59 * 60_000)).toBe('59 min');
    expect(timeLeft(59.7 * 60_000)).toBe('1 h');
    expect(timeLeft(4.999 * 3_600_000)).toBe('5 h');
    expect(timeLeft(36 * 3_600_000)).toBe('36 h');
    expect(timeLeft(47.9 * 3_600_000)).toBe('2 days');
    expect(timeLeft(3.2 * 86_400_000)).toBe('3 days');
  });
});
