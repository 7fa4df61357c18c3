import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FleetClient, FleetError, VERSION } from '../src/index';
import { TOKEN, whoami } from './helpers';

describe('the default fetch', () => {
  const requests: IncomingMessage[] = [];
  const sockets = new Set<unknown>();
  const server = createServer((request, response) => {
    requests.push(request);
    sockets.add(request.socket);
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify(whoami()));
  });
  let baseUrl: string;

  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('talks to a real HTTP server, reusing kept-alive connections', async () => {
    const client = new FleetClient({ baseUrl, token: TOKEN });
    for (let i = 0; i < 5; i++) await expect(client.whoami()).resolves.toEqual(whoami());
    await client.close();
    expect(requests).toHaveLength(5);
    expect(requests[0]!.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(requests[0]!.headers['user-agent']).toBe(`fleetops-sdk/${VERSION}`);
    expect(sockets.size).toBeLessThan(5);
  });
});

describe('FleetClient options', () => {
  it.each(['localhost:8080', '/v1', 'ftp://fleet.test'])('refuses the base URL %j', (baseUrl) => {
    expect(() => new FleetClient({ baseUrl, token: TOKEN })).toThrow(FleetError);
  });

  it('refuses an empty token', () => {
    expect(() => new FleetClient({ baseUrl: 'http://localhost', token: '' })).toThrow(FleetError);
  });

  it('applies the documented defaults', () => {
    const client = new FleetClient({ baseUrl: 'http://localhost:8080/', token: TOKEN });
    expect(client).toMatchObject({ baseUrl: 'http://localhost:8080', timeoutMs: 30_000, maxRetries: 2 });
  });

  it('reports the version of its package.json', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    expect(VERSION).toBe(pkg.version);
  });
});
