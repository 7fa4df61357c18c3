import { inspect } from 'node:util';
import { HttpResponse, http } from 'msw';
import { describe, expect, it } from 'vitest';
import {
  FleetApiError,
  FleetAuthError,
  FleetBadRequestError,
  FleetConflictError,
  FleetError,
  FleetNetworkError,
  FleetNotFoundError,
  FleetPermissionError,
  FleetServerError,
} from '../src/index';
import { BASE_URL, DEVICE_ID, device, errorResponse, makeClient, TOKEN, useMswServer } from './helpers';

const server = useMswServer();
const deviceUrl = `${BASE_URL}/v1/devices/${DEVICE_ID}`;

/** Answers every request to `url` with `respond`, counting the requests. */
function answer(url: string, respond: () => Response) {
  const seen = { count: 0 };
  server.use(
    http.all(url, () => {
      seen.count++;
      return respond();
    }),
  );
  return seen;
}

describe('errors of the admin API', () => {
  it('maps 400 with issues to FleetBadRequestError listing each field', async () => {
    answer(`${BASE_URL}/v1/tokens`, () =>
      errorResponse(400, 'validation_failed', 'invalid request', {
        details: { issues: [{ path: 'body.name', message: 'too short' }] },
      }),
    );
    const error = await makeClient()
      .tokens.create({ name: '', role: 'viewer' })
      .catch((e) => e);
    expect(error).toBeInstanceOf(FleetBadRequestError);
    expect(error.issues).toEqual([{ path: 'body.name', message: 'too short' }]);
    expect(error.message).toBe(
      '400 validation_failed: invalid request [body.name: too short] (request req-abc)',
    );
  });

  it('does not repeat in the message an issue the server already wrote there', async () => {
    answer(deviceUrl, () =>
      errorResponse(400, 'validation_failed', 'invalid params.id: not a UUID', {
        details: { issues: [{ path: 'params.id', message: 'not a UUID' }] },
      }),
    );
    await expect(makeClient().devices.retrieve(DEVICE_ID)).rejects.toThrow(
      /^400 validation_failed: invalid params\.id: not a UUID \(request req-abc\)$/,
    );
  });

  it('maps 422 to FleetBadRequestError too', async () => {
    answer(deviceUrl, () => errorResponse(422, 'validation_failed', 'nothing to change'));
    await expect(makeClient().devices.update(DEVICE_ID, {})).rejects.toBeInstanceOf(FleetBadRequestError);
  });

  it.each([
    [401, 'unauthorized', FleetAuthError],
    [403, 'forbidden', FleetPermissionError],
    [404, 'not_found', FleetNotFoundError],
    [409, 'conflict', FleetConflictError],
  ] as const)('maps %i to its class, without retrying', async (status, code, errorClass) => {
    const seen = answer(deviceUrl, () => errorResponse(status, code, 'refused'));
    const error = await makeClient()
      .devices.retrieve(DEVICE_ID)
      .catch((e) => e);
    expect(error).toBeInstanceOf(errorClass);
    expect(error).toBeInstanceOf(FleetApiError);
    expect(error).toBeInstanceOf(FleetError);
    expect(error).toMatchObject({ status, code, requestId: 'req-abc', attempts: 1 });
    expect(seen.count).toBe(1);
  });

  it('keeps 401 and 403 apart', async () => {
    answer(deviceUrl, () => errorResponse(403, 'forbidden', 'needs role operator'));
    const error = await makeClient()
      .devices.retrieve(DEVICE_ID)
      .catch((e) => e);
    expect(error).not.toBeInstanceOf(FleetAuthError);
  });

  it('writes one human line with status, code, message and request id', async () => {
    answer(deviceUrl, () => errorResponse(404, 'not_found', `device ${DEVICE_ID} not found`));
    await expect(makeClient().devices.retrieve(DEVICE_ID)).rejects.toThrow(
      `404 not_found: device ${DEVICE_ID} not found (request req-abc)`,
    );
  });

  it('retries a 409 when the server says x-should-retry: true', async () => {
    let count = 0;
    server.use(
      http.get(deviceUrl, () => {
        count++;
        if (count === 1) {
          return errorResponse(409, 'conflict', 'locked', {
            headers: { 'x-should-retry': 'true', 'retry-after-ms': '1' },
          });
        }
        return HttpResponse.json(device());
      }),
    );
    await expect(makeClient().devices.retrieve(DEVICE_ID)).resolves.toEqual(device());
    expect(count).toBe(2);
  });

  it('still gives the right class for an error body that is not JSON', async () => {
    answer(
      deviceUrl,
      () =>
        new HttpResponse('<html>Bad Gateway</html>', {
          status: 502,
          headers: { 'content-type': 'text/html', 'x-request-id': 'req-proxy' },
        }),
    );
    const error = await makeClient()
      .devices.retrieve(DEVICE_ID, { maxRetries: 0 })
      .catch((e) => e);
    expect(error).toBeInstanceOf(FleetServerError);
    expect(error.message).toBe(
      '502 internal: the server answered 502 without an error body (request req-proxy)',
    );
  });

  it('gives a 4xx error body that does not follow the protocol a generic message', async () => {
    answer(deviceUrl, () => HttpResponse.json({ message: 'nope' }, { status: 404 }));
    await expect(makeClient().devices.retrieve(DEVICE_ID)).rejects.toThrow(
      '404 not_found: the server answered 404 without an error body',
    );
  });
});

describe('the token', () => {
  it('never appears in an error, even when the server echoes it', async () => {
    answer(deviceUrl, () =>
      errorResponse(401, 'unauthorized', `token ${TOKEN} is revoked`, { details: { token: TOKEN } }),
    );
    const error = await makeClient()
      .devices.retrieve(DEVICE_ID)
      .catch((e) => e);
    expect(error).toBeInstanceOf(FleetAuthError);
    expect(error.message).toContain('[redacted]');
    for (const text of [error.message, error.stack, JSON.stringify(error), JSON.stringify(error.details)]) {
      expect(text).not.toContain(TOKEN);
    }
  });

  it('never appears in a network error', async () => {
    const client = makeClient({
      maxRetries: 0,
      fetch: (_url, init) =>
        Promise.reject(new TypeError(`refused ${new Headers(init.headers).get('authorization')}`)),
    });
    const error = await client.whoami().catch((e) => e);
    expect(error).toBeInstanceOf(FleetNetworkError);
    expect(error.message).not.toContain(TOKEN);
    expect(error.stack).not.toContain(TOKEN);
  });

  it('is not shown when the client is logged', () => {
    expect(inspect(makeClient(), { depth: 5 })).not.toContain(TOKEN);
  });
});
