import {
  ApiToken,
  Command,
  type CommandStatus,
  Device,
  DeviceEvent,
  type ErrorCode,
  InstalledApp,
  Job,
  type JobCounts,
  JobResult,
  type JobStatus,
  WhoAmI,
} from '@fleetops/protocol';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { type ClientOptions, FleetClient } from '../src/index';

export const BASE_URL = 'http://fleet.test';
export const TOKEN = 'fo_live_7f3a9c2e5b1d4f60a8e2c9b7d1f3a5e7';
export const DEVICE_ID = '0b9e7c1a-3f4d-4e2b-9a6c-5d8e7f1a2b3c';
export const COMMAND_ID = '6a1f2e3d-4c5b-4a69-8877-665544332211';
export const JOB_ID = '7b2e3f4a-5d6c-4b7a-9988-776655443322';
const ORG_ID = '11111111-2222-4333-8444-555555555555';
const NOW = '2025-01-02T03:04:05.000Z';

/** The msw server of a test file: started before its tests, reset after each, unhandled requests fail. */
export function useMswServer() {
  const server = setupServer();
  beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());
  return server;
}

/** A client whose requests go through the global fetch, which msw intercepts. */
export function makeClient(options: Partial<ClientOptions> = {}): FleetClient {
  return new FleetClient({
    baseUrl: BASE_URL,
    token: TOKEN,
    fetch: (url, init) => globalThis.fetch(url, init),
    ...options,
  });
}

/** An error answer in the protocol's one error shape. */
export function errorResponse(
  status: number,
  code: ErrorCode,
  message: string,
  options: { details?: object; headers?: Record<string, string> } = {},
) {
  return HttpResponse.json(
    { error: { code, message, requestId: 'req-abc', ...(options.details && { details: options.details }) } },
    { status, headers: { 'x-request-id': 'req-abc', ...options.headers } },
  );
}

export function device(overrides: Partial<Device> = {}): Device {
  return Device.parse({
    id: DEVICE_ID,
    status: 'active',
    group: 'sales',
    labels: ['lost'],
    mode: 'COPE',
    facts: {
      model: 'Pixel 8',
      brand: 'Google',
      os: 'android',
      osVersion: '15',
      serial: 'SN123',
      macAddress: '02:00:00:aa:bb:cc',
      networkType: 'wifi',
      wifiEnabled: true,
    },
    state: { locked: false },
    consent: { location: true, files: false, callLog: false, appUsage: true },
    ownerId: null,
    appCount: 3,
    enrollmentGeneration: 1,
    enrolledAt: NOW,
    lastSeenAt: NOW,
    retiredAt: null,
    ...overrides,
  });
}

export function command(status: CommandStatus = 'queued', overrides: Partial<Command> = {}): Command {
  return Command.parse({
    id: COMMAND_ID,
    deviceId: DEVICE_ID,
    type: 'lock',
    params: {},
    status,
    error: null,
    createdBy: 'ci',
    createdAt: NOW,
    deliveredAt: null,
    acknowledgedAt: null,
    completedAt: null,
    expiresAt: NOW,
    ...overrides,
  });
}

export function apiToken(overrides: Partial<ApiToken> = {}): ApiToken {
  return ApiToken.parse({
    id: '22222222-3333-4444-8555-666666666666',
    name: 'ci',
    role: 'operator',
    prefix: 'fo_live_ab',
    createdAt: NOW,
    lastUsedAt: null,
    revokedAt: null,
    ...overrides,
  });
}

export function installedApp(packageId: string): InstalledApp {
  return InstalledApp.parse({ packageId, name: packageId, version: '1.0.0' });
}

export function whoami(): WhoAmI {
  return WhoAmI.parse({
    org: { id: ORG_ID, name: 'Acme', createdAt: NOW },
    token: { id: apiToken().id, name: 'ci', role: 'operator', prefix: 'fo_live_ab' },
  });
}

/** A lock job for 100 devices; `counts` adds to zero counts of every device status. */
export function job(
  status: JobStatus = 'running',
  counts: Partial<JobCounts> = {},
  overrides: Partial<Job> = {},
): Job {
  return Job.parse({
    id: JOB_ID,
    type: 'lock',
    params: {},
    status,
    reason: 'lost devices',
    selector: null,
    targetCount: 100,
    counts: {
      queued: 0,
      delivered: 0,
      acknowledged: 0,
      succeeded: 0,
      failed: 0,
      expired: 0,
      canceled: 0,
      skipped: 0,
      ...counts,
    },
    unresolved: [],
    createdBy: 'ci',
    createdAt: NOW,
    requiresApproval: false,
    approvedBy: null,
    approvedAt: null,
    approvalExpiresAt: null,
    notBefore: null,
    afterJobId: null,
    canceledBy: null,
    canceledAt: null,
    completedAt: null,
    ttlSeconds: 604_800,
    ...overrides,
  });
}

export function jobResult(deviceId: string, overrides: Partial<JobResult> = {}): JobResult {
  return JobResult.parse({
    deviceId,
    commandId: COMMAND_ID,
    serial: 'SN123',
    status: 'succeeded',
    error: null,
    line: null,
    result: null,
    deliveredAt: NOW,
    completedAt: NOW,
    ...overrides,
  });
}

/** A location event numbered `id` of the test device. */
export function locationEvent(id: number, overrides: Partial<DeviceEvent> = {}): DeviceEvent {
  return DeviceEvent.parse({
    id: String(id),
    eventId: `00000000-0000-4000-8000-${String(id).padStart(12, '0')}`,
    deviceId: DEVICE_ID,
    userId: null,
    category: 'location',
    data: { latitude: 48.8584, longitude: 2.2945, accuracyMeters: 12, source: 'gps' },
    occurredAt: NOW,
    receivedAt: NOW,
    anonymized: false,
    ...overrides,
  });
}

/** Serves `pages` of `url` linked by cursors p1, p2, …; records the query of each request. */
export function pagesOf(server: ReturnType<typeof useMswServer>, url: string, pages: unknown[][]) {
  const queries: URLSearchParams[] = [];
  server.use(
    http.get(url, ({ request }) => {
      const query = new URL(request.url).searchParams;
      queries.push(query);
      const index = Number(query.get('cursor')?.slice(1) ?? 0);
      return HttpResponse.json({
        data: pages[index],
        nextCursor: index + 1 < pages.length ? `p${index + 1}` : null,
      });
    }),
  );
  return queries;
}
