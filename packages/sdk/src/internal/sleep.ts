import { FleetAbortError } from '../core/errors';

/** Waits `ms`, or rejects with `FleetAbortError` as soon as `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError(signal));
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError(signal!));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** The error for a caller's abort, keeping the signal's reason as `cause`. */
export function abortError(signal: AbortSignal): FleetAbortError {
  return new FleetAbortError('the request was aborted', { cause: signal.reason });
}
