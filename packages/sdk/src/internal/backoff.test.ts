import { describe, expect, it } from 'vitest';
import { honouredRetryAfterMs, rateLimitResetMs, retryAfterMs, retryDelayMs } from './backoff';

const noJitter = () => 0;
const fullJitter = () => 1;

describe('retryDelayMs', () => {
  it('doubles from 0.5 s up to 8 s', () => {
    expect([0, 1, 2, 3, 4, 5, 9].map((n) => retryDelayMs(n, undefined, noJitter))).toEqual([
      500, 1000, 2000, 4000, 8000, 8000, 8000,
    ]);
  });

  it('takes off at most 25% as jitter', () => {
    expect(retryDelayMs(0, undefined, fullJitter)).toBe(375);
    expect(retryDelayMs(3, undefined, fullJitter)).toBe(3000);
  });

  it('honours Retry-After-Ms, then Retry-After, up to 60 s', () => {
    expect(retryDelayMs(0, new Headers({ 'retry-after-ms': '250', 'retry-after': '9' }))).toBe(250);
    expect(retryDelayMs(0, new Headers({ 'retry-after': '2' }))).toBe(2000);
    expect(retryDelayMs(0, new Headers({ 'retry-after': '0' }))).toBe(0);
    expect(retryDelayMs(2, new Headers({ 'retry-after': '120' }), noJitter)).toBe(2000);
  });
});

describe('retryAfterMs', () => {
  it('reads an HTTP date relative to now', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(retryAfterMs(new Headers({ 'retry-after': 'Wed, 01 Jan 2025 00:00:07 GMT' }), now)).toBe(7000);
  });

  it('ignores what it cannot read', () => {
    expect(retryAfterMs(new Headers({ 'retry-after': 'soon' }))).toBeUndefined();
    expect(retryAfterMs(new Headers())).toBeUndefined();
  });
});

describe('honouredRetryAfterMs', () => {
  it('keeps a wait of up to 60 s and drops a longer one', () => {
    expect(honouredRetryAfterMs(new Headers({ 'retry-after': '60' }))).toBe(60_000);
    expect(honouredRetryAfterMs(new Headers({ 'retry-after': '61' }))).toBeUndefined();
  });
});

describe('rateLimitResetMs', () => {
  const headers = (remaining: string, reset: string) =>
    new Headers({ 'ratelimit-remaining': remaining, 'ratelimit-reset': reset });

  it('reads RateLimit-Reset seconds once RateLimit-Remaining is 0', () => {
    expect(rateLimitResetMs(headers('0', '7'))).toBe(7000);
    expect(rateLimitResetMs(headers('0', '0'))).toBe(0);
  });

  it('asks for nothing while requests remain, or when the reset is missing, unreadable or over 60 s', () => {
    expect(rateLimitResetMs(headers('1', '7'))).toBeUndefined();
    expect(rateLimitResetMs(new Headers({ 'ratelimit-remaining': '0' }))).toBeUndefined();
    expect(rateLimitResetMs(headers('0', 'soon'))).toBeUndefined();
    expect(rateLimitResetMs(headers('0', '3600'))).toBeUndefined();
  });
});
