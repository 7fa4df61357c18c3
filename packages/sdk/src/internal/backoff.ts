const MAX_HONOURED_RETRY_AFTER_MS = 60_000;
const INITIAL_DELAY_S = 0.5;
const MAX_DELAY_S = 8;
const MAX_JITTER = 0.25;

/**
 * The wait the server asks for in `Retry-After-Ms` or `Retry-After` (seconds or an HTTP date),
 * in milliseconds; undefined when it asks for nothing readable.
 */
export function retryAfterMs(headers: Headers, now = Date.now()): number | undefined {
  const ms = Number.parseFloat(headers.get('retry-after-ms') ?? '');
  if (Number.isFinite(ms)) return Math.max(0, ms);
  const value = headers.get('retry-after');
  if (value === null || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * The wait the server asks for, as `retryAfterMs` reads it, when it is at most 60 s; a longer
 * one (an hourly quota, say) is not worth holding a request for.
 */
export function honouredRetryAfterMs(headers: Headers): number | undefined {
  const asked = retryAfterMs(headers);
  return asked !== undefined && asked <= MAX_HONOURED_RETRY_AFTER_MS ? asked : undefined;
}

/**
 * How long to wait before retry number `retry` (0 for the first): the server's wish when it
 * is at most 60 s, else min(0.5 * 2^retry, 8) s less up to 25% jitter.
 */
export function retryDelayMs(retry: number, headers?: Headers, random = Math.random): number {
  const asked = headers && honouredRetryAfterMs(headers);
  if (asked !== undefined) return asked;
  const seconds = Math.min(INITIAL_DELAY_S * 2 ** retry, MAX_DELAY_S);
  return seconds * (1 - random() * MAX_JITTER) * 1000;
}

/**
 * The wait announced by the IETF draft headers `RateLimit-Remaining: 0` and
 * `RateLimit-Reset: <seconds>`, when it is at most 60 s; undefined while requests remain.
 */
export function rateLimitResetMs(headers: Headers): number | undefined {
  if (headers.get('ratelimit-remaining')?.trim() !== '0') return undefined;
  const value = headers.get('ratelimit-reset');
  const ms = value?.trim() ? Number(value) * 1000 : Number.NaN;
  return ms >= 0 && ms <= MAX_HONOURED_RETRY_AFTER_MS ? ms : undefined;
}
