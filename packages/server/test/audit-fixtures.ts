import { randomUUID } from 'node:crypto';
import {
  AUDIT_CATEGORIES,
  type AuditCategory,
  type ConsentGrants,
  type DeviceEvent,
  type DeviceEventInput,
  type PolicyDocumentInput,
  type UploadEventsReport,
} from '@fleetops/protocol';
import { expect } from 'vitest';
import { deviceApi, enroll, type Harness, type TestOrg } from './harness';

export const ALL_GRANTED: ConsentGrants = { location: true, files: true, callLog: true, appUsage: true };

/** Audit switches turning on the categories named. */
export const collect = (...categories: AuditCategory[]) =>
  Object.fromEntries(categories.map((category) => [category, { enabled: true }]));

export const COLLECT_ALL = collect(...AUDIT_CATEGORIES);

/** A plausible `data` of each category, with personal values the redaction rules must mask. */
const SAMPLE_DATA: { [C in AuditCategory]: Extract<DeviceEventInput, { category: C }>['data'] } = {
  location: { latitude: 48.85661, longitude: 2.35222, accuracyMeters: 12.5, source: 'gps' },
  callLog: { direction: 'outgoing', number: '+14155550100', durationSeconds: 42 },
  appUsage: {
    packageId: 'com.example.mail',
    foregroundSeconds: 300,
    periodStart: '2025-03-01T09:00:00.000Z',
    periodEnd: '2025-03-01T10:00:00.000Z',
  },
  screenshots: {
    sha256: 'a'.repeat(64),
    width: 1080,
    height: 2400,
    sizeBytes: 123_456,
    packageId: 'com.example.chat',
  },
  fileVirusScan: {
    path: '/sdcard/Download/invoice, "final".apk',
    sha256: 'b'.repeat(64),
    verdict: 'infected',
    threat: 'Android.Trojan.Agent',
    engineVersion: '2.4.1',
  },
  operationLogs: {
    action: 'settings.change',
    detail: 'wifi changed by alice@example.com from +14155550100 on 356938035643809',
  },
  networkInfo: { networkType: 'wifi', ssid: 'HQ-Guest', ipAddress: '10.1.2.3', carrier: null },
  signInOut: { kind: 'sign-in', method: 'password' },
};

/** A new event of `category` (a new eventId each call), its data overridden by `data`. */
export function event<C extends AuditCategory>(
  category: C,
  data: Partial<Extract<DeviceEventInput, { category: C }>['data']> = {},
  occurredAt = new Date().toISOString(),
): DeviceEventInput {
  return {
    eventId: randomUUID(),
    category,
    occurredAt,
    data: { ...SAMPLE_DATA[category], ...data },
  } as DeviceEventInput;
}

/** One event of every category. */
export const oneOfEach = () => AUDIT_CATEGORIES.map((category) => event(category));

export interface TestDevice {
  deviceId: string;
  credential: string;
}

/** Audit helpers over one harness. */
export function auditApi(server: Harness) {
  /** Applies one policy `spec` to `groups` (which must have enrollment tokens). */
  const applyPolicy = async (org: TestOrg, spec: Partial<PolicyDocumentInput['spec']>, groups: string[]) => {
    const { revision } = await (await server.api(org.tokens.viewer, '/v1/policies')).json();
    const document: PolicyDocumentInput = {
      apiVersion: 'fleetops.dev/v1',
      kind: 'Policy',
      metadata: { name: 'audit' },
      spec: { assignment: { groups, priority: 10 }, ...spec },
    };
    const response = await server.api(org.tokens.admin, '/v1/policy-revisions', {
      method: 'POST',
      body: { documents: [document], baseRevision: revision },
    });
    expect(response.status).toBe(200);
  };

  const checkIn = async (device: TestDevice, consent: ConsentGrants) => {
    const response = await deviceApi(server, device.credential, '/device/v1/checkin', { consent });
    expect(response.status).toBe(200);
  };

  /** Enrolls `count` devices into `group` that check in with `consent`. */
  const devices = async (org: TestOrg, count: number, consent = ALL_GRANTED, group = 'field') => {
    const token = await org.enrollmentToken({ group });
    const enrolled: TestDevice[] = [];
    for (let i = 0; i < count; i++) {
      const device = await enroll(server, token, { serial: `EV${randomUUID().slice(0, 12)}` });
      await checkIn(device, consent);
      enrolled.push(device);
    }
    return enrolled;
  };

  /** A new org whose `field` group collects the categories of `spec.audit`, with one device. */
  const orgWithDevice = async (
    spec: Partial<PolicyDocumentInput['spec']> = { audit: COLLECT_ALL },
    consent = ALL_GRANTED,
  ) => {
    const org = await server.newOrg();
    const [device] = await devices(org, 1, consent);
    await applyPolicy(org, spec, ['field']);
    return { org, device: device! };
  };

  const upload = (device: TestDevice, events: unknown[], deviceId = device.deviceId) =>
    deviceApi(server, device.credential, '/device/v1/events', { deviceId, events });

  /** Uploads `events`, expecting every one to be well-formed. */
  const uploadOk = async (device: TestDevice, events: unknown[]): Promise<UploadEventsReport> => {
    const response = await upload(device, events);
    expect(response.status).toBe(200);
    return response.json();
  };

  /** Every event of the org that passes `query`, page by page. */
  const listAll = async (org: TestOrg, query = ''): Promise<DeviceEvent[]> => {
    const events: DeviceEvent[] = [];
    let cursor: string | null = null;
    do {
      const params = new URLSearchParams(query);
      params.set('limit', '1000');
      if (cursor) params.set('cursor', cursor);
      const response = await server.api(org.tokens.auditor, `/v1/audit/events?${params}`);
      expect(response.status).toBe(200);
      const page = (await response.json()) as { data: DeviceEvent[]; nextCursor: string | null };
      events.push(...page.data);
      cursor = page.nextCursor;
    } while (cursor);
    return events;
  };

  const settings = async (org: TestOrg, patch: object) => {
    const response = await server.api(org.tokens.admin, '/v1/settings', { method: 'PATCH', body: patch });
    expect(response.status).toBe(200);
    return response.json();
  };

  return { applyPolicy, checkIn, devices, orgWithDevice, upload, uploadOk, listAll, settings };
}
