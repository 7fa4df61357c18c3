import { HttpResponse, http } from 'msw';
import { describe, expect, it } from 'vitest';
import { FleetResponseValidationError } from '../src/index';
import { BASE_URL, DEVICE_ID, device, makeClient, useMswServer } from './helpers';

const server = useMswServer();
const deviceUrl = `${BASE_URL}/v1/devices/${DEVICE_ID}`;

describe('response validation', () => {
  it('rejects a 2xx body that is not JSON, naming the request', async () => {
    server.use(
      http.get(
        deviceUrl,
        () =>
          new HttpResponse('{"id": ', {
            headers: { 'content-type': 'application/json', 'x-request-id': 'r1' },
          }),
      ),
    );
    const error = await makeClient()
      .devices.retrieve(DEVICE_ID)
      .catch((e) => e);
    expect(error).toBeInstanceOf(FleetResponseValidationError);
    expect(error).toMatchObject({ status: 200, requestId: 'r1', issues: [] });
    expect(error.message).toBe(`GET /v1/devices/${DEVICE_ID} answered 200 with a body that is not JSON`);
  });

  it('rejects a 2xx body that does not match the protocol, naming the field', async () => {
    const wrong = { ...device(), facts: { ...device().facts, os: 'symbian' } };
    server.use(http.get(deviceUrl, () => HttpResponse.json(wrong)));
    const error = await makeClient()
      .devices.retrieve(DEVICE_ID)
      .catch((e) => e);
    expect(error).toBeInstanceOf(FleetResponseValidationError);
    expect(error.issues.map((i: { path: string }) => i.path)).toEqual(['facts.os']);
    expect(error.message).toMatch(
      new RegExp(
        `^GET /v1/devices/${DEVICE_ID} answered with a body that does not match the protocol: facts\\.os: `,
      ),
    );
  });

  it('names the item of a page that does not match', async () => {
    server.use(
      http.get(`${BASE_URL}/v1/devices`, () =>
        HttpResponse.json({ data: [device(), { ...device(), id: 'not-a-uuid' }], nextCursor: null }),
      ),
    );
    const error = await makeClient()
      .devices.list()
      .catch((e) => e);
    expect(error).toBeInstanceOf(FleetResponseValidationError);
    expect(error.issues[0].path).toBe('data.1.id');
  });

  it('returns what the schema parsed', async () => {
    server.use(http.get(deviceUrl, () => HttpResponse.json({ ...device(), unknownField: 'dropped' })));
    await expect(makeClient().devices.retrieve(DEVICE_ID)).resolves.toEqual(device());
  });
});
