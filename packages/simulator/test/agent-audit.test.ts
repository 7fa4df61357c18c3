import { generateKeyPairSync } from 'node:crypto';
import {
  type CheckInRequest,
  type DeviceEventInput,
  exportCommandSigningKey,
  MAX_EVENTS_PER_BATCH,
  type UploadEventsReport,
  type UploadEventsRequest,
} from '@fleetops/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import type { AuditSettings } from '../src/audit/collector';
import { DAY } from '../src/audit/routine';
import {
  DeviceAgent,
  type DeviceApi,
  DeviceApiError,
  type FleetCounters,
  type FleetEvent,
  type GeneratedDevice,
  generateDevice,
  SimulatedTime,
} from '../src/index';
import { until } from './helpers';

const { publicKey } = generateKeyPairSync('ed25519');
const DEVICE_ID = '0193a5c0-0000-7000-8000-000000000002';
const WEEK = 7 * DAY;

/** An Android phone with a SIM whose user granted everything: it can collect every category. */
function collectsEverything(): GeneratedDevice {
  for (let index = 0; ; index++) {
    const device = generateDevice(5, index);
    const { os, phoneNumber } = device.facts;
    if (os === 'android' && phoneNumber !== null && Object.values(device.consent).every(Boolean))
      return device;
  }
}
const device = collectsEverything();

type Call = { kind: 'check-in'; body: CheckInRequest } | { kind: 'upload'; body: UploadEventsRequest };
type UploadAnswer = (body: UploadEventsRequest, attempt: number) => Promise<UploadEventsReport>;

const stored = async (body: UploadEventsRequest): Promise<UploadEventsReport> => ({
  accepted: body.events.length,
  duplicates: 0,
  dropped: [],
  rejected: [],
});

/** A device API that hands out a policy with `audit`, records check-ins and uploads, and answers uploads with `answer`. */
function auditApi(audit: AuditSettings, answer: UploadAnswer = stored) {
  const calls: Call[] = [];
  let uploadAttempts = 0;
  const policy = {
    hash: 'c'.repeat(64),
    settings: { restrictions: {}, passwordRequirements: {}, applications: [], audit, retention: {} },
  };
  const api: DeviceApi = {
    enroll: async () => ({
      deviceId: DEVICE_ID,
      credential: 'dev_secret',
      org: { id: '0193a5c0-0000-7000-8000-000000000001', name: 'Acme' },
      mode: 'COBO',
      checkInIntervalSeconds: 3600,
      enrollmentGeneration: 1,
      commandSigningKey: exportCommandSigningKey(publicKey),
    }),
    checkIn: async (_credential, body) => {
      calls.push({ kind: 'check-in', body: structuredClone(body) });
      return { commands: [], checkInIntervalSeconds: 3600, policy };
    },
    poll: (_credential, _wait, signal) =>
      new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason))),
    reportResult: async () => {},
    uploadEvents: async (_credential, body) => {
      calls.push({ kind: 'upload', body: structuredClone(body) });
      return answer(body, uploadAttempts++);
    },
  };
  const uploads = () => calls.flatMap((call) => (call.kind === 'upload' ? [call.body] : []));
  return { api, calls, uploads };
}

const running: DeviceAgent[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((agent) => agent.stop()));
});

/** Starts the device on `api` with its users living `speed` times faster than real time. */
async function startDevice(api: DeviceApi, speed: number) {
  const events: FleetEvent[] = [];
  const counters: FleetCounters = {
    checkIns: 0,
    commandsExecuted: 0,
    policiesApplied: 0,
    errors: 0,
    eventsGenerated: 0,
    eventsUploaded: 0,
    eventsDropped: 0,
    eventsRejected: 0,
    uploads: 0,
  };
  const clock = new SimulatedTime(speed);
  const agent = new DeviceAgent({
    device,
    transport: api,
    enrollmentToken: 'fo_enr_test',
    onEvent: (event) => events.push(event),
    counters,
    clock,
    consentChanges: false,
  });
  running.push(agent);
  const started = await agent.start();
  return { agent, events, counters, clock, started };
}

const idsOf = (events: readonly unknown[]) => (events as DeviceEventInput[]).map((e) => e.eventId);
const occurred = (event: DeviceEventInput, skewMs: number) => Date.parse(event.occurredAt) - skewMs;

describe('a device uploading audit events', () => {
  it('reports a withdrawn permission in a check-in before it uploads what it collected until then', async () => {
    const script = auditApi({
      location: { enabled: true, uploadInterval: '1d' },
      callLog: { enabled: true, uploadInterval: '1w' },
    });
    const { agent, clock, events } = await startDevice(script.api, WEEK / 2_000);
    const startedAt = clock.now();
    // Five days hold at least three workdays of calls, all before the first call-log upload.
    await until('five days passed', () => clock.now() - startedAt > 5 * DAY);
    const mark = script.calls.length;
    const withdrawnAt = clock.now();
    agent.changeConsent('callLog', false);

    const callLogs = () =>
      script
        .uploads()
        .flatMap((body) => (body.events as DeviceEventInput[]).filter((e) => e.category === 'callLog'));
    await until('the call log was uploaded', () => callLogs().length > 0);

    const after = script.calls.slice(mark);
    const reported = after.findIndex(
      (call) => call.kind === 'check-in' && call.body.consent?.callLog === false,
    );
    expect(reported).toBeGreaterThanOrEqual(0);
    expect(after.findIndex((call) => call.kind === 'upload')).toBeGreaterThan(reported);
    for (const call of callLogs()) expect(occurred(call, agent.clockSkewMs)).toBeLessThan(withdrawnAt);
    expect(events).toContainEqual({
      type: 'consent-changed',
      index: device.index,
      deviceId: DEVICE_ID,
      permission: 'callLog',
      granted: false,
    });
    expect(agent.memory()?.consent).toEqual({ ...device.consent, callLog: false });
  });

  it("keeps its user's choices across a restart and reports them at the first check-in", async () => {
    const first = await startDevice(auditApi({}).api, 1);
    first.agent.changeConsent('location', false);
    await first.agent.stop();

    const script = auditApi({});
    const restarted = new DeviceAgent({
      device,
      transport: script.api,
      enrollmentToken: 'fo_enr_test',
      memory: first.agent.memory()!,
      consentChanges: false,
    });
    running.push(restarted);
    expect(await restarted.start()).toBe(true);
    expect(restarted.consent.location).toBe(false);
    const [checkIn] = script.calls;
    expect(checkIn).toMatchObject({
      kind: 'check-in',
      body: { consent: { ...device.consent, location: false } },
    });
  });

  it(`uploads at most ${MAX_EVENTS_PER_BATCH} events a request`, async () => {
    const script = auditApi({
      location: { enabled: true, uploadInterval: '1w' },
      operationLogs: { enabled: true, uploadInterval: '1w' },
    });
    const { counters } = await startDevice(script.api, WEEK / 1_000);
    await until('a week of events was uploaded', () => script.uploads().length >= 2);

    const uploads = script.uploads();
    expect(uploads[0]!.events).toHaveLength(MAX_EVENTS_PER_BATCH);
    for (const body of uploads) {
      expect(body.deviceId).toBe(DEVICE_ID);
      expect(body.events.length).toBeLessThanOrEqual(MAX_EVENTS_PER_BATCH);
    }
    const ids = uploads.flatMap((body) => idsOf(body.events));
    expect(new Set(ids).size).toBe(ids.length);
    expect(counters.eventsGenerated).toBeGreaterThan(MAX_EVENTS_PER_BATCH);
    expect(counters.uploads).toBeGreaterThanOrEqual(2);
  });

  it('sends a batch again with the same event ids while the server is unavailable', async () => {
    const script = auditApi({ location: { enabled: true, uploadInterval: '1h' } }, async (body, attempt) => {
      if (attempt < 2) throw new DeviceApiError(503, 'unavailable', 'unavailable: restarting', undefined);
      return stored(body);
    });
    const { counters, events } = await startDevice(script.api, 36_000);
    await until('the upload went through', () => counters.uploads > 0);

    const [first, second, third, fourth] = script.uploads();
    expect(idsOf(second!.events)).toEqual(idsOf(first!.events));
    expect(idsOf(third!.events)).toEqual(idsOf(first!.events));
    if (fourth) expect(idsOf(fourth.events)).not.toEqual(idsOf(first!.events));
    const failures = events.filter((e) => e.type === 'error' && e.operation === 'upload');
    expect(failures).toHaveLength(2);
    expect(failures.every((e) => e.type === 'error' && e.retryInMs !== undefined)).toBe(true);
  });

  it('drops the events the server refuses and never sends them again', async () => {
    let rejectedId = '';
    const script = auditApi({ location: { enabled: true, uploadInterval: '1h' } }, async (body, attempt) => {
      const events = body.events as DeviceEventInput[];
      if (attempt === 0) {
        rejectedId = events[0]!.eventId;
        const report = {
          accepted: events.length - 1,
          duplicates: 0,
          dropped: [],
          rejected: [
            { index: 0, eventId: rejectedId, code: 'invalid_event', message: 'data.latitude: too big' },
          ],
        };
        throw new DeviceApiError(
          422,
          'validation_failed',
          'validation_failed: 1 event rejected',
          undefined,
          report,
        );
      }
      if (attempt === 1)
        throw new DeviceApiError(400, 'validation_failed', 'validation_failed: bad body', undefined);
      return stored(body);
    });
    const { counters, events } = await startDevice(script.api, 36_000);
    await until('three uploads were answered', () => script.uploads().length >= 3);

    const [first, second, ...later] = script.uploads();
    expect(events).toContainEqual({
      type: 'events-rejected',
      index: device.index,
      deviceId: DEVICE_ID,
      count: 1,
      message: `event ${rejectedId}: invalid_event: data.latitude: too big`,
    });
    expect(counters.eventsRejected).toBe(1 + second!.events.length);
    expect(counters.eventsUploaded).toBeGreaterThanOrEqual(first!.events.length - 1);
    const resent = later.flatMap((body) => idsOf(body.events));
    expect(resent).not.toContain(rejectedId);
    for (const id of idsOf(second!.events)) expect(resent).not.toContain(id);
  });

  it('stops for good when its user is disabled', async () => {
    const script = auditApi({ location: { enabled: true, uploadInterval: '1h' } }, async () => {
      throw new DeviceApiError(
        403,
        'device_disabled',
        "device_disabled: this device's user account is disabled: ask your administrator",
        undefined,
      );
    });
    const { agent, events } = await startDevice(script.api, 36_000);
    await until('the device stopped', () => agent.status === 'disabled');

    expect(events.filter((e) => e.type === 'stopped')).toEqual([
      expect.objectContaining({ reason: 'disabled', deviceId: DEVICE_ID }),
    ]);
    await agent.stop();
    expect(script.uploads()).toHaveLength(1);
    expect(script.calls.at(-1)?.kind).toBe('upload');
    // Not gone for good: an administrator may enable the user again, and the next start tries.
    expect(agent.memory()?.gone).toBeUndefined();
  });

  it('does not start when its user is disabled', async () => {
    const script = auditApi({});
    script.api.checkIn = async () => {
      throw new DeviceApiError(403, 'device_disabled', 'device_disabled: disabled', undefined);
    };
    const { agent, started, events } = await startDevice(script.api, 1);

    expect(started).toBe(false);
    expect(agent.status).toBe('disabled');
    expect(events.at(-1)).toMatchObject({ type: 'stopped', reason: 'disabled' });
  });
});
