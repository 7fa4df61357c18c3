import { honouredRetryAfterMs, rateLimitResetMs } from '../internal/backoff';
import { abortError, sleep } from '../internal/sleep';

/** An answer as the throttle reads it: its status and headers. */
export interface ThrottleAnswer {
  status: number;
  headers: Headers;
}

/** The right of one attempt to be in flight. */
export interface ThrottleSlot {
  /** Frees the slot and adapts the limit to the answer; pass nothing when no answer came. */
  release(answer?: ThrottleAnswer): void;
}

interface Waiter {
  grant(): void;
}

/**
 * A client-wide adaptive concurrency limit (additive increase, multiplicative decrease).
 *
 * Attempts beyond the limit wait in arrival order. A 429 or 503 halves the limit, down to 1,
 * and holds every attempt back until its `Retry-After` has passed, so that parallel callers do
 * not storm a server that asked for a break; `RateLimit-Remaining: 0` with `RateLimit-Reset`
 * holds them back the same way. Any other answer below 500 raises the limit by 1/limit, up to
 * the maximum it started at.
 */
export class Throttle {
  readonly #max: number;
  #limit: number;
  #active = 0;
  readonly #queue: Waiter[] = [];
  /** No attempt is sent before this time (epoch ms). */
  #notBefore = 0;
  /** Cuts so far: an attempt sent before the latest cut saw the same overload and does not cut again. */
  #cuts = 0;

  constructor(maxConcurrency: number) {
    this.#max = maxConcurrency;
    this.#limit = maxConcurrency;
  }

  /** How many attempts may be in flight at once now. */
  get limit(): number {
    return Math.floor(this.#limit);
  }

  /**
   * A slot at once, without yielding to the event loop, when one is free, nobody waits for
   * one and no pause is on; else undefined, and `acquire()` is the way.
   */
  tryAcquire(): ThrottleSlot | undefined {
    const mustWait = this.#queue.length > 0 || this.#active >= this.limit || this.#notBefore > Date.now();
    if (mustWait) return undefined;
    this.#active++;
    return this.#slot();
  }

  /**
   * Waits for a free slot, in arrival order, then for any pause the server asked for.
   * Rejects with `FleetAbortError`, holding nothing, when `signal` aborts meanwhile.
   */
  async acquire(signal?: AbortSignal): Promise<ThrottleSlot> {
    await this.#takeSlot(signal);
    try {
      for (let wait = this.#notBefore - Date.now(); wait > 0; wait = this.#notBefore - Date.now()) {
        await sleep(wait, signal);
      }
    } catch (error) {
      this.#free();
      throw error;
    }
    return this.#slot();
  }

  #slot(): ThrottleSlot {
    const cutsAtSend = this.#cuts;
    let released = false;
    return {
      release: (answer) => {
        if (released) return;
        released = true;
        if (answer) this.#adapt(answer, cutsAtSend);
        this.#free();
      },
    };
  }

  #takeSlot(signal: AbortSignal | undefined): Promise<void> {
    if (signal?.aborted) return Promise.reject(abortError(signal));
    if (this.#queue.length === 0 && this.#active < this.limit) {
      this.#active++;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        this.#queue.splice(this.#queue.indexOf(waiter), 1);
        reject(abortError(signal!));
      };
      const waiter: Waiter = {
        grant: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#queue.push(waiter);
    });
  }

  #free(): void {
    this.#active--;
    while (this.#queue.length > 0 && this.#active < this.limit) {
      this.#active++;
      this.#queue.shift()!.grant();
    }
  }

  #adapt(answer: ThrottleAnswer, cutsAtSend: number): void {
    const overloaded = answer.status === 429 || answer.status === 503;
    const pauseMs =
      (overloaded ? honouredRetryAfterMs(answer.headers) : undefined) ?? rateLimitResetMs(answer.headers);
    if (pauseMs !== undefined) this.#notBefore = Math.max(this.#notBefore, Date.now() + pauseMs);
    if (overloaded) {
      if (cutsAtSend === this.#cuts) {
        this.#limit = Math.max(1, this.#limit / 2);
        this.#cuts++;
      }
    } else if (answer.status < 500) {
      this.#limit = Math.min(this.#max, this.#limit + 1 / this.#limit);
    }
  }
}
