import { AUDIT_CATEGORIES, POLICY_API_VERSION } from '@fleetops/protocol';
import { type RunningServer, startServer } from '@fleetops/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY } from '../src/audit/routine';
import {
  type FleetEvent,
  type GeneratedDevice,
  generateDevice,
  type RunningFleet,
  startFleet,
} from '../src/index';
import { adminClient, until } from './helpers';

const SEED = 9;
const DEVICES = 4;
/** Three weeks of the users' time pass in eight seconds. */
const SPEED = (21 * DAY) / 8_000;

/** An Android phone with a SIM whose user granted location and the call log: it collects both. */
const collectsCalls = ({ facts, consent }: GeneratedDevice) =>
  facts.os === 'android' && facts.phoneNumber !== null && consent.location && consent.callLog;

describe('simulated devices uploading audit events to the real server', () => {
  let server: RunningServer;
  let admin: ReturnType<typeof adminClient>;
  let fleet: RunningFleet;
  const events: FleetEvent[] = [];
  const callers = Array.from({ length: DEVICES }, (_, i) => i).filter((i) =>
    collectsCalls(generateDevice(SEED, i)),
  );
  const [caller, withdrawer] = callers;
  const idOf = (index: number | undefined) => fleet.devices()[index!]!.deviceId!;

  beforeAll(async () => {
    expect(callers.length, `seed ${SEED} needs two devices that collect calls`).toBeGreaterThanOrEqual(2);
    server = await startServer({ port: 0, logLevel: 'silent' });
    admin = adminClient(server);
    const enrollment = await admin.createEnrollmentToken();
    await admin.putPolicy({
      apiVersion: POLICY_API_VERSION,
      kind: 'Policy',
      metadata: { name: 'audit' },
      spec: {
        audit: {
          location: { enabled: true, uploadInterval: '1w' },
          callLog: { enabled: true, uploadInterval: '3w' },
        },
        assignment: { groups: ['simulated'], priority: 10 },
      },
    });
    fleet = await startFleet({
      serverUrl: server.url,
      enrollmentToken: enrollment.token,
      devices: DEVICES,
      seed: SEED,
      pollWaitSeconds: 2,
      auditSpeed: SPEED,
      consentChanges: false,
      onEvent: (event) => events.push(event),
    });
    await fleet.ready;
  });

  afterAll(async () => {
    await fleet?.stop();
    await server?.close();
  });

  it('stores what the policy enables, and drops the calls collected before the user withdrew the call log', async () => {
    const readyAt = Date.now();
    // Five days in: at least three workdays of calls are collected, none uploaded yet (every three weeks).
    await until('five days passed', () => (Date.now() - readyAt) * SPEED > 5 * DAY);
    fleet.changeConsent(withdrawer!, 'callLog', false);
    expect(fleet.devices()[withdrawer!]!.consent.callLog).toBe(false);

    const withdrawn = idOf(withdrawer);
    const consent = async () =>
      (await admin.consent(withdrawn)).categories.find((c) => c.category === 'callLog')!;
    await until(
      'the withdrawn call log was dropped',
      async () => (await consent()).dropped.consent > 0,
      30_000,
    );
    const callLog = await consent();
    expect(callLog).toMatchObject({
      permissionGranted: false,
      policyEnabled: true,
      collecting: false,
      stored: 0,
    });
    expect((await admin.consent(withdrawn)).grants.callLog).toBe(false);
    expect(await admin.auditEvents({ deviceId: withdrawn, category: 'callLog' })).toEqual([]);

    const calls = await admin.auditEvents({ deviceId: idOf(caller), category: 'callLog' });
    expect(calls.length).toBeGreaterThan(0);
    for (const call of calls) expect(call.data).toMatchObject({ number: expect.stringMatching(/^\+\d+$/) });
    const fixes = await admin.auditEvents({ deviceId: withdrawn, category: 'location' });
    expect(fixes.length).toBeGreaterThan(0);
    const others = AUDIT_CATEGORIES.filter((c) => c !== 'location' && c !== 'callLog').join(',');
    expect(await admin.auditEvents({ category: others })).toEqual([]);

    const stats = fleet.stats();
    expect(stats.eventsDropped).toBeGreaterThanOrEqual(callLog.dropped.consent);
    expect(stats.eventsUploaded).toBeGreaterThan(stats.eventsDropped);
    expect(stats.eventsRejected).toBe(0);
    expect(stats.uploads).toBeGreaterThan(0);
  });

  it('stops a device whose user was disabled', async () => {
    const user = await admin.createUser('pat@example.com', 'Pat Example');
    const target = idOf(caller);
    await admin.setOwner(target, user.id);
    await admin.disableUser(user.id);

    await until('the device stopped', () => fleet.devices()[caller!]!.status === 'disabled');
    expect(events.filter((e) => e.type === 'stopped')).toEqual([
      expect.objectContaining({ deviceId: target, reason: 'disabled' }),
    ]);
    expect(fleet.stats()).toMatchObject({ disabled: 1, enrolled: DEVICES - 1 });
  });
});
