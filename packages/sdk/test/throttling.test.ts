import { HttpResponse, http } from 'msw';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FleetError, FleetRateLimitError } from '../src/index';
import { BASE_URL, device, errorResponse, makeClient, useMswServer } from './helpers';

const server = useMswServer();

afterEach(() => {
  vi.useRealTimers();
});

/**
 * Serves GET /v1/devices/:id: `first` answers the first request; every later one is held
 * open until `answerNext()`. Records how many requests were in flight as each one arrived.
 */
function heldDevices(first: () => Response) {
  let requests = 0;
  let inFlight = 0;
  const inFlightOnArrival: number[] = [];
  const held: (() => void)[] = [];
  server.use(
    http.get(`${BASE_URL}/v1/devices/:id`, async ({ params }) => {
      if (++requests === 1) return first();
      inFlightOnArrival.push(++inFlight);
      await new Promise<void>((resolve) => held.push(resolve));
      inFlight--;
      return HttpResponse.json(device({ id: params.id as string }));
    }),
  );
  return {
    inFlightOnArrival,
    held: () => held.length,
    answerNext: () => held.shift()!(),
  };
}

const ids = Array.from({ length: 10 }, (_, i) => `00000000-0000-4000-8000-00000000000${i}`);

describe('adaptive throttling', () => {
  it('holds parallel requests back after a 429, halves the limit, then raises it again as they succeed', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const api = heldDevices(() =>
      errorResponse(429, 'rate_limited', 'slow down', { headers: { 'retry-after': '2' } }),
    );
    const client = makeClient({ maxConcurrency: 4 });
    await expect(client.devices.retrieve(ids[0]!, { maxRetries: 0 })).rejects.toBeInstanceOf(
      FleetRateLimitError,
    );

    const all = Promise.all(ids.slice(1).map((id) => client.devices.retrieve(id)));
    await vi.advanceTimersByTimeAsync(1_999);
    expect(api.inFlightOnArrival).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    await vi.waitFor(() => expect(api.held()).toBe(2));

    for (let answered = 0; answered < ids.length - 1; answered++) {
      await vi.waitFor(() => expect(api.held()).toBeGreaterThan(0));
      api.answerNext();
    }
    const devices = await all;
    expect(devices.map((d) => d.id)).toEqual(ids.slice(1));
    expect(api.inFlightOnArrival.slice(0, 2)).toEqual([1, 2]);
    expect(Math.max(...api.inFlightOnArrival.slice(0, 4))).toBe(2);
    expect(Math.max(...api.inFlightOnArrival)).toBeGreaterThan(2);
  });

  it('waits out RateLimit-Reset before the next request once RateLimit-Remaining is 0', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const api = heldDevices(() =>
      HttpResponse.json(device(), { headers: { 'ratelimit-remaining': '0', 'ratelimit-reset': '5' } }),
    );
    const client = makeClient();
    await client.devices.retrieve(ids[0]!);
    const next = client.devices.retrieve(ids[1]!);
    await vi.advanceTimersByTimeAsync(4_999);
    expect(api.held()).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    await vi.waitFor(() => expect(api.held()).toBe(1));
    api.answerNext();
    await expect(next).resolves.toMatchObject({ id: ids[1] });
  });

  it('refuses a maxConcurrency that is not a whole number of at least 1', () => {
    expect(() => makeClient({ maxConcurrency: 0 })).toThrow(FleetError);
    expect(() => makeClient({ maxConcurrency: 2.5 })).toThrow(FleetError);
  });
});
