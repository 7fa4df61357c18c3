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
 * How long to wait before retry number `retry` (0 for the first): the server's wish when it
 * is at most 60 s, else min(0.5 * 2^retry, 8) s less up to 25% jitter.
 */
export function retryDelayMs(retry: number, headers?: Headers, random = Math.random): number {
  const asked = headers && retryAfterMs(headers);
  if (asked !== undefined && asked <= MAX_HONOURED_RETRY_AFTER_MS) return asked;
  const seconds = Math.min(INITIAL_DELAY_S * 2 ** retry, MAX_DELAY_S);
  return seconds * (1 - random() * MAX_JITTER) * 1000;
}
