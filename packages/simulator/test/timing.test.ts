import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../src/timing';

describe('backoffDelay', () => {
  const options = { initialMs: 500, maxMs: 15_000 };
  const lowest = () => 0;
  const highest = () => 0.999_999;

  it('starts around the initial delay', () => {
    expect(backoffDelay(0, options, lowest)).toBe(250);
    expect(backoffDelay(0, options, highest)).toBeLessThanOrEqual(500);
  });

  it('doubles with each attempt', () => {
    for (let attempt = 0; attempt < 4; attempt++) {
      expect(backoffDelay(attempt + 1, options, lowest)).toBe(2 * backoffDelay(attempt, options, lowest));
    }
  });

  it('never exceeds the cap, however many attempts failed', () => {
    for (const attempt of [5, 6, 10, 50, 5000]) {
      const delay = backoffDelay(attempt, options, highest);
      expect(delay).toBeLessThanOrEqual(15_000);
      expect(delay).toBeGreaterThan(14_000);
      expect(backoffDelay(attempt, options, lowest)).toBe(7_500);
    }
  });

  it('spreads the delays of many devices', () => {
    const delays = new Set(Array.from({ length: 50 }, () => backoffDelay(3, options)));
    expect(delays.size).toBeGreaterThan(40);
  });
});
