import { afterEach, describe, expect, it, vi } from 'vitest';
import { FleetAbortError } from './errors';
import { Throttle, type ThrottleSlot } from './throttle';

const ok = { status: 200, headers: new Headers() };
const tooMany = (headers: Record<string, string> = {}) => ({ status: 429, headers: new Headers(headers) });
const unavailable = { status: 503, headers: new Headers() };

/** Lets every pending promise callback run. */
const flush = () => new Promise((resolve) => setImmediate(resolve));

/** Acquires a slot and records the name once it is granted. */
function taker(throttle: Throttle, granted: string[]) {
  return (name: string, signal?: AbortSignal) =>
    throttle.acquire(signal).then((slot) => {
      granted.push(name);
      return slot;
    });
}

/** Sends one attempt through the throttle and answers it with `answer`. */
async function attempt(throttle: Throttle, answer: Parameters<ThrottleSlot['release']>[0]) {
  (await throttle.acquire()).release(answer);
}

afterEach(() => {
  vi.useRealTimers();
});

describe('Throttle', () => {
  it('lets up to the limit through and queues the rest in arrival order', async () => {
    const throttle = new Throttle(2);
    const granted: string[] = [];
    const take = taker(throttle, granted);
    const a = take('a');
    const b = take('b');
    take('c');
    take('d');
    take('e');
    await flush();
    expect(granted).toEqual(['a', 'b']);
    (await b).release(ok);
    await flush();
    expect(granted).toEqual(['a', 'b', 'c']);
    (await a).release(ok);
    await flush();
    expect(granted).toEqual(['a', 'b', 'c', 'd']);
  });

  it('gives a slot at once only while one is free and no pause is on', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const throttle = new Throttle(1);
    const slot = throttle.tryAcquire();
    expect(slot).toBeDefined();
    expect(throttle.tryAcquire()).toBeUndefined();
    slot!.release(tooMany({ 'retry-after': '2' }));
    expect(throttle.tryAcquire()).toBeUndefined();
    await vi.advanceTimersByTimeAsync(2_000);
    expect(throttle.tryAcquire()).toBeDefined();
  });

  it('halves the limit on a 429 or a 503, down to 1', async () => {
    const throttle = new Throttle(16);
    const limits: number[] = [];
    for (const answer of [tooMany(), unavailable, tooMany(), tooMany(), tooMany(), tooMany()]) {
      await attempt(throttle, answer);
      limits.push(throttle.limit);
    }
    expect(limits).toEqual([8, 4, 2, 1, 1, 1]);
  });

  it('cuts once for attempts that were already in flight when the server said it was overloaded', async () => {
    const throttle = new Throttle(16);
    const inFlight = await Promise.all([throttle.acquire(), throttle.acquire(), throttle.acquire()]);
    for (const slot of inFlight) slot.release(tooMany());
    expect(throttle.limit).toBe(8);
    await attempt(throttle, tooMany());
    expect(throttle.limit).toBe(4);
  });

  it('raises the limit by 1/limit with each success, back up to the maximum', async () => {
    const throttle = new Throttle(4);
    await attempt(throttle, tooMany());
    const limits: number[] = [];
    for (let i = 0; i < 8; i++) {
      await attempt(throttle, i % 2 ? ok : { status: 404, headers: new Headers() });
      limits.push(throttle.limit);
    }
    expect(limits).toEqual([2, 2, 3, 3, 3, 4, 4, 4]);
  });

  it('leaves the limit alone after a 500 or when no answer came', async () => {
    const throttle = new Throttle(4);
    await attempt(throttle, tooMany());
    await attempt(throttle, { status: 500, headers: new Headers() });
    await attempt(throttle, undefined);
    expect(throttle.limit).toBe(2);
  });

  it('holds every attempt back until the Retry-After of a 429 has passed', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const throttle = new Throttle(4);
    const granted: string[] = [];
    const take = taker(throttle, granted);
    const first = await throttle.acquire();
    take('a');
    first.release(tooMany({ 'retry-after': '2' }));
    take('b');
    take('c');
    await vi.advanceTimersByTimeAsync(1_999);
    expect(granted).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(granted).toEqual(['a', 'b']);
  });

  it('does not hold the client back for a Retry-After over 60 s', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const throttle = new Throttle(4);
    await attempt(throttle, tooMany({ 'retry-after': '3600' }));
    const granted: string[] = [];
    taker(throttle, granted)('a');
    await vi.advanceTimersByTimeAsync(0);
    expect(granted).toEqual(['a']);
  });

  it('holds the next attempt back until RateLimit-Reset when RateLimit-Remaining is 0', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const throttle = new Throttle(4);
    const granted: string[] = [];
    const take = taker(throttle, granted);
    await attempt(throttle, {
      status: 200,
      headers: new Headers({ 'ratelimit-remaining': '3', 'ratelimit-reset': '9' }),
    });
    take('a');
    await vi.advanceTimersByTimeAsync(0);
    expect(granted).toEqual(['a']);
    await attempt(throttle, {
      status: 200,
      headers: new Headers({ 'ratelimit-remaining': '0', 'ratelimit-reset': '5' }),
    });
    take('b');
    await vi.advanceTimersByTimeAsync(4_999);
    expect(granted).toEqual(['a']);
    await vi.advanceTimersByTimeAsync(1);
    expect(granted).toEqual(['a', 'b']);
    expect(throttle.limit).toBe(4);
  });

  it('rejects a queued attempt whose signal aborts and gives its place to the next', async () => {
    const throttle = new Throttle(1);
    const granted: string[] = [];
    const take = taker(throttle, granted);
    const first = await throttle.acquire();
    const controller = new AbortController();
    const aborted = take('a', controller.signal).catch((e) => e);
    take('b');
    controller.abort(new Error('ctrl-c'));
    const error = await aborted;
    expect(error).toBeInstanceOf(FleetAbortError);
    expect(error.cause).toEqual(new Error('ctrl-c'));
    first.release(ok);
    await flush();
    expect(granted).toEqual(['b']);
  });

  it('frees the slot of an attempt aborted while it waits out a pause', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const throttle = new Throttle(1);
    const granted: string[] = [];
    const take = taker(throttle, granted);
    await attempt(throttle, tooMany({ 'retry-after': '5' }));
    const controller = new AbortController();
    const aborted = take('a', controller.signal).catch((e) => e);
    take('b');
    await vi.advanceTimersByTimeAsync(1_000);
    controller.abort();
    expect(await aborted).toBeInstanceOf(FleetAbortError);
    await vi.advanceTimersByTimeAsync(4_000);
    expect(granted).toEqual(['b']);
  });
});
