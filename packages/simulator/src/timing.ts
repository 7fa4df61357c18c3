import { setTimeout as sleep } from 'node:timers/promises';

/** Bounds of the retry delays: the first retry waits about `initialMs`, none waits more than `maxMs`. */
export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 500, maxMs: 15_000 };

/**
 * Delay before retry number `attempt` (0 for the first retry): doubles with each attempt up to
 * `maxMs`, with "equal jitter" (half fixed, half random) so that a fleet that lost its server
 * does not come back in lockstep.
 */
export function backoffDelay(attempt: number, options = DEFAULT_BACKOFF, random = Math.random): number {
  const ceiling = Math.min(options.maxMs, options.initialMs * 2 ** attempt);
  return ceiling / 2 + (random() * ceiling) / 2;
}

/** `ms` spread uniformly by ±`spread` (a fraction), so periodic work of many devices does not align. */
export function jittered(ms: number, spread = 0.2, random = Math.random): number {
  return ms * (1 - spread + random() * 2 * spread);
}

/** Waits `ms`; rejects with the signal's reason as soon as `signal` aborts. */
export function delay(ms: number, signal: AbortSignal): Promise<void> {
  return sleep(ms, undefined, { signal });
}
