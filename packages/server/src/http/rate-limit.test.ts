import { describe, expect, it } from 'vitest';
import { RateLimiter } from './rate-limit';

describe('the per-caller rate limiter', () => {
  it('allows a burst, then refuses with the time until the next request fits', () => {
    let now = 0;
    const limiter = new RateLimiter(2, 3, () => now);
    const verdicts = [1, 2, 3, 4].map(() => limiter.take('token-a'));
    expect(verdicts.map((v) => v.allowed)).toEqual([true, true, true, false]);
    expect(verdicts[2]).toMatchObject({ limit: 3, remaining: 0 });
    expect(verdicts[3]).toMatchObject({ allowed: false, retryAfterSeconds: 1, resetSeconds: 2 });
    now = 500;
    expect(limiter.take('token-a').allowed).toBe(true);
    expect(limiter.take('token-a').allowed).toBe(false);
  });

  it('keeps one bucket per caller', () => {
    const limiter = new RateLimiter(1, 1, () => 0);
    expect(limiter.take('a').allowed).toBe(true);
    expect(limiter.take('a').allowed).toBe(false);
    expect(limiter.take('b').allowed).toBe(true);
  });
});
