import { randomUUID } from 'node:crypto';
import type {
  AuditCategory,
  ConsentGrants,
  DeviceEventInput,
  EnrollResponse,
  UploadEventsReport,
} from '@fleetops/protocol';
import type { FleetClient } from '@fleetops/sdk';

export const ALL_GRANTED: ConsentGrants = { location: true, files: true, callLog: true, appUsage: true };

/** A plausible `data` of each category, with the personal values redaction must mask. */
const SAMPLE_DATA: { [C in AuditCategory]: Extract<DeviceEventInput, { category: C }>['data'] } = {
  location: { latitude: 48.85661, longitude: 2.35222, accuracyMeters: 12.5, source: 'gps' },
  callLog: { direction: 'outgoing', number: '+14155550100', durationSeconds: 42 },
  appUsage: {
    packageId: 'com.example.mail',
    foregroundSeconds: 300,
    periodStart: '2026-03-01T09:00:00.000Z',
    periodEnd: '2026-03-01T10:00:00.000Z',
  },
  screenshots: { sha256: 'a'.repeat(64), width: 1080, height: 2400, sizeBytes: 123_456, packageId: null },
  fileVirusScan: {
    path: '/sdcard/Download/invoice, "final".apk',
    sha256: 'b'.repeat(64),
    verdict: 'infected',
    threat: 'Android.Trojan.Agent',
    engineVersion: '2.4.1',
  },
  operationLogs: { action: 'settings.change', detail: 'wifi changed by alice@example.com' },
  networkInfo: { networkType: 'wifi', ssid: 'HQ-Guest', ipAddress: '10.1.2.3', carrier: null },
  signInOut: { kind: 'sign-in', method: 'password' },
};

/** A new event of `category`, with a new event id. */
export function sampleEvent(
  category: AuditCategory,
  occurredAt = new Date().toISOString(),
  data: object = {},
): DeviceEventInput {
  return {
    eventId: randomUUID(),
    category,
    occurredAt,
    data: { ...SAMPLE_DATA[category], ...data },
  } as DeviceEventInput;
}

/** Reports the user's permissions, as a device does at check-in. */
export async function checkIn(
  serverUrl: string,
  device: EnrollResponse,
  consent: ConsentGrants,
): Promise<void> {
  const response = await fetch(`${serverUrl}/device/v1/checkin`, {
    method: 'POST',
    headers: { authorization: `Bearer ${device.credential}`, 'content-type': 'application/json' },
    body: JSON.stringify({ consent }),
  });
  if (response.status !== 200)
    throw new Error(`check-in failed: ${response.status} ${await response.text()}`);
}

/** Uploads events through the device API, in batches of at most 1000. */
export async function uploadEvents(
  serverUrl: string,
  device: EnrollResponse,
  events: DeviceEventInput[],
): Promise<UploadEventsReport> {
  const total: UploadEventsReport = { accepted: 0, duplicates: 0, dropped: [], rejected: [] };
  for (let i = 0; i < events.length; i += 1000) {
    const response = await fetch(`${serverUrl}/device/v1/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${device.credential}`, 'content-type': 'application/json' },
      body: JSON.stringify({ deviceId: device.deviceId, events: events.slice(i, i + 1000) }),
    });
    if (response.status !== 200)
      throw new Error(`upload failed: ${response.status} ${await response.text()}`);
    const report = (await response.json()) as UploadEventsReport;
    total.accepted += report.accepted;
    total.duplicates += report.duplicates;
    total.dropped.push(...report.dropped);
  }
  return total;
}

/** Makes the groups' policy collect `categories`, keeping them 30 days. */
export async function collectIn(
  sdk: FleetClient,
  groups: string[],
  categories: AuditCategory[],
  name = 'audit',
): Promise<void> {
  const { revision } = await sdk.policies.list();
  await sdk.policies.apply({
    baseRevision: revision,
    documents: [
      {
        apiVersion: 'fleetops.dev/v1',
        kind: 'Policy',
        metadata: { name },
        spec: {
          audit: Object.fromEntries(categories.map((category) => [category, { enabled: true }])),
          assignment: { groups, priority: 10 },
        },
      },
    ],
  });
}
