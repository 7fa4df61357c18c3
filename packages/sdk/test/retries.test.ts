import { delay, HttpResponse, http } from 'msw';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  FleetAbortError,
  FleetNetworkError,
  FleetRateLimitError,
  FleetServerError,
  FleetTimeoutError,
} from '../src/index';
import { BASE_URL, command, DEVICE_ID, device, errorResponse, makeClient, useMswServer } from './helpers';

const server = useMswServer();
const deviceUrl = `${BASE_URL}/v1/devices/${DEVICE_ID}`;
const commandsUrl = `${BASE_URL}/v1/devices/${DEVICE_ID}/commands`;
const quickRetry = { 'retry-after-ms': '1' };

/** Answers requests to `url` in turn with `responses` (the last one repeats), recording each request. */
function sequence(method: 'get' | 'post', url: string, responses: (() => Response | Promise<Response>)[]) {
  const requests: Request[] = [];
  server.use(
    http[method](url, ({ request }) => {
      requests.push(request);
      return responses[Math.min(requests.length, responses.length) - 1]!();
    }),
  );
  return requests;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('retries', () => {
  it('waits as long as Retry-After asks after a 429, then retries', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const requests = sequence('get', deviceUrl, [
      () => errorResponse(429, 'rate_limited', 'slow down', { headers: { 'retry-after': '3' } }),
      () => HttpResponse.json(device()),
    ]);
    const result = makeClient().devices.retrieve(DEVICE_ID);
    await vi.advanceTimersByTimeAsync(2_900);
    expect(requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(200);
    await vi.waitFor(() => expect(requests).toHaveLength(2));
    await expect(result).resolves.toEqual(device());
  });

  it('gives up on 429 after maxRetries with the wait the server asked for', async () => {
    const requests = sequence('get', deviceUrl, [
      () => errorResponse(429, 'rate_limited', 'slow down', { headers: { 'retry-after-ms': '5' } }),
    ]);
    const error = await makeClient({ maxRetries: 1 })
      .devices.retrieve(DEVICE_ID)
      .catch((e) => e);
    expect(error).toBeInstanceOf(FleetRateLimitError);
    expect(error.retryAfterMs).toBe(5);
    expect(requests).toHaveLength(2);
  });

  it('retries a 500 with backoff and counts the retries in X-Retry-Count', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const requests = sequence('get', deviceUrl, [
      () => errorResponse(500, 'internal', 'boom'),
      () => HttpResponse.json(device()),
    ]);
    const result = makeClient().devices.retrieve(DEVICE_ID);
    await vi.advanceTimersByTimeAsync(350);
    expect(requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(200);
    await vi.waitFor(() => expect(requests).toHaveLength(2));
    await expect(result).resolves.toEqual(device());
    expect(requests.map((r) => r.headers.get('x-retry-count'))).toEqual(['0', '1']);
  });

  it('throws FleetServerError with the attempt count once the retries are spent', async () => {
    const requests = sequence('get', deviceUrl, [
      () => errorResponse(503, 'unavailable', 'down', { headers: quickRetry }),
    ]);
    const error = await makeClient()
      .devices.retrieve(DEVICE_ID)
      .catch((e) => e);
    expect(error).toBeInstanceOf(FleetServerError);
    expect(error.attempts).toBe(3);
    expect(error.message).toBe('503 unavailable: down (request req-abc, after 3 attempts)');
    expect(requests).toHaveLength(3);
  });

  it('lets one call override maxRetries', async () => {
    const requests = sequence('get', deviceUrl, [() => errorResponse(500, 'internal', 'boom')]);
    await expect(makeClient().devices.retrieve(DEVICE_ID, { maxRetries: 0 })).rejects.toBeInstanceOf(
      FleetServerError,
    );
    expect(requests).toHaveLength(1);
  });

  it('retries a network error, then throws FleetNetworkError', async () => {
    const requests = sequence('get', deviceUrl, [() => HttpResponse.error()]);
    const error = await makeClient({ maxRetries: 1 })
      .devices.retrieve(DEVICE_ID)
      .catch((e) => e);
    expect(error).toBeInstanceOf(FleetNetworkError);
    expect(error.attempts).toBe(2);
    expect(error.message).toMatch(
      /^GET \/v1\/devices\/\S+ could not reach http:\/\/fleet\.test: .* \(after 2 attempts\)$/,
    );
    expect(requests).toHaveLength(2);
  });

  it('recovers when a network error is followed by an answer', async () => {
    sequence('get', deviceUrl, [() => HttpResponse.error(), () => HttpResponse.json(device())]);
    await expect(makeClient({ maxRetries: 1 }).devices.retrieve(DEVICE_ID)).resolves.toEqual(device());
  });

  it('times out an attempt after timeoutMs, retries, then throws FleetTimeoutError', async () => {
    const requests = sequence('get', deviceUrl, [
      async () => {
        await delay(5_000);
        return HttpResponse.json(device());
      },
    ]);
    const error = await makeClient({ timeoutMs: 20, maxRetries: 1 })
      .devices.retrieve(DEVICE_ID)
      .catch((e) => e);
    expect(error).toBeInstanceOf(FleetTimeoutError);
    expect(error.message).toMatch(/timed out after 20 ms \(after 2 attempts\)$/);
    expect(requests).toHaveLength(2);
  });

  it('stops at once, without retrying, when the caller aborts', async () => {
    const controller = new AbortController();
    const requests = sequence('get', deviceUrl, [
      async () => {
        controller.abort(new Error('user pressed ctrl-c'));
        await delay(5_000);
        return HttpResponse.json(device());
      },
    ]);
    const error = await makeClient()
      .devices.retrieve(DEVICE_ID, { signal: controller.signal })
      .catch((e) => e);
    expect(error).toBeInstanceOf(FleetAbortError);
    expect(error.name).toBe('AbortError');
    expect(error.cause).toEqual(new Error('user pressed ctrl-c'));
    expect(requests).toHaveLength(1);
  });

  it('stops during the wait between two attempts when the caller aborts', async () => {
    const controller = new AbortController();
    const requests = sequence('get', deviceUrl, [
      () => {
        setTimeout(() => controller.abort(), 10);
        return errorResponse(500, 'internal', 'boom', { headers: { 'retry-after': '30' } });
      },
    ]);
    await expect(
      makeClient().devices.retrieve(DEVICE_ID, { signal: controller.signal }),
    ).rejects.toBeInstanceOf(FleetAbortError);
    expect(requests).toHaveLength(1);
  });

  it('does not send a request with an already aborted signal', async () => {
    const requests = sequence('get', deviceUrl, [() => HttpResponse.json(device())]);
    await expect(
      makeClient().devices.retrieve(DEVICE_ID, { signal: AbortSignal.abort() }),
    ).rejects.toBeInstanceOf(FleetAbortError);
    expect(requests).toHaveLength(0);
  });
});

describe('idempotency', () => {
  const failThenSucceed = [
    () => errorResponse(500, 'internal', 'boom', { headers: quickRetry }),
    () => HttpResponse.json(command(), { status: 201 }),
  ];

  it('gives every POST an Idempotency-Key, the same on each retry', async () => {
    const requests = sequence('post', commandsUrl, failThenSucceed);
    await makeClient().commands.send(DEVICE_ID, { type: 'lock' });
    const keys = requests.map((r) => r.headers.get('idempotency-key'));
    expect(keys).toHaveLength(2);
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(keys[1]).toBe(keys[0]);
  });

  it('uses a fresh key for each call', async () => {
    const requests = sequence('post', commandsUrl, [() => HttpResponse.json(command(), { status: 201 })]);
    const client = makeClient();
    await client.commands.send(DEVICE_ID, { type: 'lock' });
    await client.commands.send(DEVICE_ID, { type: 'lock' });
    expect(requests[0]!.headers.get('idempotency-key')).not.toBe(requests[1]!.headers.get('idempotency-key'));
  });

  it("sends the caller's key verbatim", async () => {
    const requests = sequence('post', commandsUrl, failThenSucceed);
    await makeClient().commands.send(DEVICE_ID, { type: 'lock' }, { idempotencyKey: 'offboard-42' });
    expect(requests.map((r) => r.headers.get('idempotency-key'))).toEqual(['offboard-42', 'offboard-42']);
  });

  it('sends no key with a GET', async () => {
    const requests = sequence('get', deviceUrl, [() => HttpResponse.json(device())]);
    await makeClient().devices.retrieve(DEVICE_ID);
    expect(requests[0]!.headers.has('idempotency-key')).toBe(false);
  });
});
