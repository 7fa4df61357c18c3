import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  type AuditEventQuery,
  Command,
  CreatedEnrollmentToken,
  Device,
  DeviceConsent,
  DeviceEventPage,
  type DeviceListQuery,
  DevicePage,
  EnrollmentToken,
  InstalledAppPage,
  type PolicyDocumentInput,
  PolicyVersion,
  type SendCommandRequest,
  User,
} from '@fleetops/protocol';

/** Waits until `check` holds; fails with `what` if it does not within `timeoutMs`. */
export async function until(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await sleep(100);
  }
}

/** A minimal admin API client: the simulator must not depend on the SDK. */
export function adminClient(server: { url: string; adminToken: string | null }) {
  const call = async (method: string, path: string, body?: unknown): Promise<unknown> => {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${server.adminToken}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = await response.json();
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(json)}`);
    return json;
  };
  const send = async (id: string, request: SendCommandRequest) =>
    Command.parse(await call('POST', `/v1/devices/${id}/commands`, request));
  return {
    createEnrollmentToken: async () =>
      CreatedEnrollmentToken.parse(await call('POST', '/v1/enrollment-tokens', { group: 'simulated' })),
    revokeEnrollmentToken: async (id: string) =>
      EnrollmentToken.parse(await call('POST', `/v1/enrollment-tokens/${id}/revoke`)),
    devices: async (query: DeviceListQuery = {}) => {
      const params = new URLSearchParams({ limit: '1000', ...(query as Record<string, string>) });
      return DevicePage.parse(await call('GET', `/v1/devices?${params}`)).data;
    },
    device: async (id: string) => Device.parse(await call('GET', `/v1/devices/${id}`)),
    apps: async (id: string) =>
      InstalledAppPage.parse(await call('GET', `/v1/devices/${id}/apps?limit=1000`)).data,
    retire: async (id: string) => Device.parse(await call('POST', `/v1/devices/${id}/retire`)),
    send,
    lock: (id: string) => send(id, { type: 'lock', params: { message: 'Lost' } }),
    command: async (id: string) => Command.parse(await call('GET', `/v1/commands/${id}`)),
    putPolicy: async (document: PolicyDocumentInput) =>
      PolicyVersion.parse(await call('PUT', `/v1/policies/${document.metadata.name}`, document)),
    auditEvents: async (query: AuditEventQuery = {}) => {
      const params = new URLSearchParams({ limit: '1000', ...(query as Record<string, string>) });
      return DeviceEventPage.parse(await call('GET', `/v1/audit/events?${params}`)).data;
    },
    consent: async (id: string) => DeviceConsent.parse(await call('GET', `/v1/devices/${id}/consent`)),
    createUser: async (email: string, name: string) =>
      User.parse(await call('POST', '/v1/users', { email, name })),
    setOwner: async (id: string, ownerId: string) =>
      Device.parse(await call('PATCH', `/v1/devices/${id}`, { ownerId })),
    disableUser: async (id: string) => User.parse(await call('POST', `/v1/users/${id}/disable`)),
  };
}

/** A command as it travels to a device, loosely typed so a test can change anything in it. */
export type CommandOnTheWire = Record<string, unknown> & { id: string };

/** A proxy in front of the device API; set `rewrite` to change commands on their way to devices. */
export interface DeviceProxy {
  url: string;
  rewrite: (command: CommandOnTheWire) => CommandOnTheWire;
  close(): Promise<void>;
}

/**
 * A man in the middle between devices and the server: forwards every request, and passes the
 * commands the server hands out (check-in and poll answers) through `rewrite` on the way back.
 */
export async function startDeviceProxy(target: string): Promise<DeviceProxy> {
  const server: Server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const headers: Record<string, string> = {};
    for (const name of ['authorization', 'content-type', 'accept']) {
      const value = request.headers[name];
      if (typeof value === 'string') headers[name] = value;
    }
    const url = new URL(request.url ?? '/', target);
    try {
      const upstream = await fetch(url, {
        method: request.method,
        headers,
        body: chunks.length > 0 ? Buffer.concat(chunks) : undefined,
      });
      let text = await upstream.text();
      if (upstream.ok && (url.pathname === '/device/v1/commands' || url.pathname === '/device/v1/checkin')) {
        const answer = JSON.parse(text) as { commands: CommandOnTheWire[] };
        answer.commands = answer.commands.map((command) => proxy.rewrite(command));
        text = JSON.stringify(answer);
      }
      response.writeHead(upstream.status, { 'content-type': 'application/json' }).end(text);
    } catch {
      response.writeHead(502).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const proxy: DeviceProxy = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    rewrite: (command) => command,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return proxy;
}
