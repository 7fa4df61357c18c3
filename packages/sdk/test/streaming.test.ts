import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { delay, HttpResponse, http } from 'msw';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  type DeviceEvent,
  FleetAbortError,
  FleetBadRequestError,
  FleetClient,
  FleetError,
  FleetNetworkError,
  FleetPermissionError,
  FleetRateLimitError,
  FleetResponseValidationError,
} from '../src/index';
import { BASE_URL, errorResponse, locationEvent, makeClient, TOKEN, useMswServer } from './helpers';

const server = useMswServer();
const exportUrl = `${BASE_URL}/v1/audit/events/export`;
const NDJSON = { 'content-type': 'application/x-ndjson', 'x-request-id': 'req-export' };
const encoder = new TextEncoder();

const ndjson = (...events: DeviceEvent[]) => events.map((event) => `${JSON.stringify(event)}\n`).join('');

/** A body sending `chunks` one by one, then ending as `end` says: closed, errored, or left open. */
function body(chunks: string[], end: 'close' | Error | 'hang' = 'close') {
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const chunk = chunks.shift();
      if (chunk !== undefined) return controller.enqueue(encoder.encode(chunk));
      if (end === 'close') controller.close();
      else if (end instanceof Error) controller.error(end);
      else await new Promise(() => {});
    },
  });
}

/** Answers the export in turn with `responses` (the last one repeats), recording each request. */
function exportAnswers(responses: (() => Response | Promise<Response>)[]) {
  const requests: Request[] = [];
  server.use(
    http.get(exportUrl, ({ request }) => {
      requests.push(request);
      return responses[Math.min(requests.length, responses.length) - 1]!();
    }),
  );
  return requests;
}

async function collect(events: AsyncIterable<DeviceEvent>) {
  const ids: string[] = [];
  let error: unknown;
  try {
    for await (const event of events) ids.push(event.id);
  } catch (e) {
    error = e;
  }
  return { ids, error };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('audit.export: the request', () => {
  it('retries a 5xx before the body starts, then streams the events', async () => {
    const requests = exportAnswers([
      () => errorResponse(503, 'unavailable', 'restarting', { headers: { 'retry-after-ms': '1' } }),
      () => new HttpResponse(body([ndjson(locationEvent(1), locationEvent(2))]), { headers: NDJSON }),
    ]);
    const exported = await makeClient().audit.export({ category: 'location' });
    expect((await collect(exported)).ids).toEqual(['1', '2']);
    expect(requests.map((r) => r.headers.get('x-retry-count'))).toEqual(['0', '1']);
    expect(requests.every((r) => new URL(r.url).searchParams.get('category') === 'location')).toBe(true);
  });

  it('waits as long as Retry-After asks after a 429, then retries', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const requests = exportAnswers([
      () => errorResponse(429, 'rate_limited', 'slow down', { headers: { 'retry-after': '3' } }),
      () => new HttpResponse(body([ndjson(locationEvent(1))]), { headers: NDJSON }),
    ]);
    const exporting = makeClient().audit.export();
    await vi.advanceTimersByTimeAsync(2_900);
    expect(requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(200);
    await vi.waitFor(() => expect(requests).toHaveLength(2));
    expect((await collect(await exporting)).ids).toEqual(['1']);
  });

  it('gives up on 429 after maxRetries with the wait the server asked for', async () => {
    exportAnswers([
      () => errorResponse(429, 'rate_limited', 'slow down', { headers: { 'retry-after-ms': '5' } }),
    ]);
    const error = await makeClient({ maxRetries: 1 })
      .audit.export()
      .catch((e) => e);
    expect(error).toBeInstanceOf(FleetRateLimitError);
    expect(error.retryAfterMs).toBe(5);
    expect(error.attempts).toBe(2);
  });

  it('turns an error answer into its typed error, from the JSON error body, without retrying', async () => {
    const requests = exportAnswers([() => errorResponse(403, 'forbidden', 'this needs an auditor token')]);
    const error = await makeClient()
      .audit.export()
      .catch((e) => e);
    expect(error).toBeInstanceOf(FleetPermissionError);
    expect(error.message).toBe('403 forbidden: this needs an auditor token (request req-abc)');
    expect(requests).toHaveLength(1);

    exportAnswers([
      () =>
        errorResponse(400, 'validation_failed', 'invalid query', {
          details: { issues: [{ path: 'after', message: 'after is the id of the last event received' }] },
        }),
    ]);
    const invalid = await makeClient()
      .audit.export({ after: 'x' })
      .catch((e) => e);
    expect(invalid).toBeInstanceOf(FleetBadRequestError);
    expect(invalid.issues).toEqual([
      { path: 'after', message: 'after is the id of the last event received' },
    ]);
  });

  it('refuses an answer that is not in one of the export media types', async () => {
    exportAnswers([() => HttpResponse.html('<html>proxy login</html>')]);
    const error = await makeClient()
      .audit.export()
      .catch((e) => e);
    expect(error).toBeInstanceOf(FleetResponseValidationError);
    expect(error.message).toContain('content type "text/html"');
  });

  it('lets a slow body take longer than timeoutMs, which covers the headers only', async () => {
    exportAnswers([
      () =>
        new HttpResponse(
          new ReadableStream({
            async start(controller) {
              controller.enqueue(encoder.encode(ndjson(locationEvent(1))));
              await delay(150);
              controller.enqueue(encoder.encode(ndjson(locationEvent(2))));
              controller.close();
            },
          }),
          { headers: NDJSON },
        ),
    ]);
    const exported = await makeClient({ timeoutMs: 50 }).audit.export();
    expect(await collect(exported)).toEqual({ ids: ['1', '2'], error: undefined });
  });
});

describe('audit.export: the body', () => {
  it('parses a line split across chunks and a last line without newline', async () => {
    const text = ndjson(locationEvent(1), locationEvent(2), locationEvent(3)).trimEnd();
    exportAnswers([
      () =>
        new HttpResponse(body([text.slice(0, 50), text.slice(50, 400), text.slice(400)]), {
          headers: NDJSON,
        }),
    ]);
    const events = [];
    for await (const event of await makeClient().audit.export()) events.push(event);
    expect(events).toEqual([locationEvent(1), locationEvent(2), locationEvent(3)]);
  });

  it('rejects a malformed line with FleetResponseValidationError naming its line, after the good ones', async () => {
    const bad = {
      ...locationEvent(2),
      data: { latitude: 123, longitude: 2, accuracyMeters: null, source: 'gps' },
    };
    exportAnswers([
      () =>
        new HttpResponse(
          body([ndjson(locationEvent(1)), `${JSON.stringify(bad)}\n`, ndjson(locationEvent(3))]),
          {
            headers: NDJSON,
          },
        ),
    ]);
    const { ids, error } = await collect(await makeClient().audit.export());
    expect(ids).toEqual(['1']);
    expect(error).toBeInstanceOf(FleetResponseValidationError);
    expect((error as FleetResponseValidationError).message).toMatch(
      /^GET \/v1\/audit\/events\/export answered a line 2 that does not match the protocol: data\.latitude: /,
    );
    expect((error as FleetResponseValidationError).issues[0]!.path).toBe('data.latitude');
    expect((error as FleetResponseValidationError).requestId).toBe('req-export');

    exportAnswers([
      () => new HttpResponse(body([ndjson(locationEvent(1)), '{"id":"2",\n']), { headers: NDJSON }),
    ]);
    const notJson = await collect(await makeClient().audit.export());
    expect(notJson.ids).toEqual(['1']);
    expect((notJson.error as Error).message).toBe(
      'GET /v1/audit/events/export answered a line 2 that is not JSON',
    );
  });

  it('ends with FleetAbortError when the signal aborts mid-stream', async () => {
    exportAnswers([() => new HttpResponse(body([ndjson(locationEvent(1))], 'hang'), { headers: NDJSON })]);
    const controller = new AbortController();
    const exported = await makeClient().audit.export({}, { signal: controller.signal });
    const ids: string[] = [];
    const error = await (async () => {
      for await (const event of exported) {
        ids.push(event.id);
        controller.abort(new Error('user pressed ctrl-c'));
      }
    })().catch((e) => e);
    expect(ids).toEqual(['1']);
    expect(error).toBeInstanceOf(FleetAbortError);
    expect(error.cause).toEqual(new Error('user pressed ctrl-c'));
  });

  it('rejects a last line cut short by a body that ends mid-line', async () => {
    const cut = ndjson(locationEvent(2)).slice(0, 40);
    exportAnswers([() => new HttpResponse(body([ndjson(locationEvent(1)), cut]), { headers: NDJSON })]);
    const { ids, error } = await collect(await makeClient().audit.export());
    expect(ids).toEqual(['1']);
    expect(error).toBeInstanceOf(FleetResponseValidationError);
    expect((error as Error).message).toBe('GET /v1/audit/events/export answered a line 2 that is not JSON');
  });

  it('hands out the raw bytes of any format, and events() only for ndjson', async () => {
    const csv = 'id,eventId,deviceId,userId,category,occurredAt,receivedAt,anonymized,data\r\n1,"a,b"\r\n';
    exportAnswers([
      () =>
        new HttpResponse(body([csv.slice(0, 10), csv.slice(10)]), {
          headers: { 'content-type': 'text/csv; charset=utf-8' },
        }),
    ]);
    const exported = await makeClient().audit.export({ format: 'csv' });
    expect(exported.format).toBe('csv');
    expect(() => exported.events()).toThrow(FleetError);
    expect(await new Response(exported.body).text()).toBe(csv);
  });
});

describe('audit.export over a real connection', () => {
  let answer: (response: ServerResponse) => void = () => {};
  let closed: Promise<void> = Promise.resolve();
  const http1 = createServer((request, response) => {
    closed = new Promise((resolve) => request.socket.on('close', () => resolve()));
    response.writeHead(200, NDJSON);
    answer(response);
  });
  let client: FleetClient;

  beforeAll(async () => {
    await new Promise<void>((resolve) => http1.listen(0, '127.0.0.1', resolve));
    client = new FleetClient({
      baseUrl: `http://127.0.0.1:${(http1.address() as AddressInfo).port}`,
      token: TOKEN,
    });
  });
  afterAll(async () => {
    await client.close();
    http1.closeAllConnections();
    await new Promise((resolve) => http1.close(resolve));
  });

  it('ends with FleetNetworkError when the connection drops mid-line, and resumes with after', async () => {
    answer = (response) => {
      response.write(ndjson(locationEvent(1)));
      response.write(ndjson(locationEvent(2)).slice(0, 40), () => response.destroy());
    };
    const first = await collect(await client.audit.export({ category: 'location' }));
    expect(first.ids).toEqual(['1']);
    expect(first.error).toBeInstanceOf(FleetNetworkError);
    expect((first.error as Error).message).toMatch(
      /^GET \/v1\/audit\/events\/export: the connection to http:\/\/127\.0\.0\.1:\d+ broke while the body was read: /,
    );

    answer = (response) => response.end(ndjson(locationEvent(2), locationEvent(3)));
    const rest = await collect(await client.audit.export({ category: 'location', after: first.ids.at(-1) }));
    expect(rest).toEqual({ ids: ['2', '3'], error: undefined });
  });

  it('closes the connection when the signal aborts mid-stream', async () => {
    answer = (response) => response.write(ndjson(locationEvent(1)));
    const controller = new AbortController();
    const exported = await client.audit.export({}, { signal: controller.signal });
    const ids: string[] = [];
    const error = await (async () => {
      for await (const event of exported) {
        ids.push(event.id);
        controller.abort();
      }
    })().catch((e) => e);
    expect(ids).toEqual(['1']);
    expect(error).toBeInstanceOf(FleetAbortError);
    await closed;
  });

  it('closes the connection when the loop stops early', async () => {
    answer = (response) => response.write(ndjson(locationEvent(1), locationEvent(2)));
    for await (const event of await client.audit.export()) if (event.id === '1') break;
    await closed;
  });
});
