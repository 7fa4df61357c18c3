import {
  AUDIT_CATEGORIES,
  type AuditCategory,
  type ConsentGrants,
  DEFAULT_RESTRICTIONS,
  DeviceEventInput,
} from '@fleetops/protocol';
import { describe, expect, it } from 'vitest';
import { AuditCollector, type AuditSettings, MAX_BACKLOG_MS } from '../src/audit/collector';
import { type ConsentChange, ConsentDecisions } from '../src/audit/consent';
import { DAY, HOUR, MINUTE } from '../src/audit/routine';
import { type GeneratedDevice, generateDevice } from '../src/index';
import { Random } from '../src/random';

/** Monday 2 June 2025, 00:00 UTC. */
const MONDAY = Date.UTC(2025, 5, 2);
const ALL_GRANTED: ConsentGrants = { location: true, files: true, callLog: true, appUsage: true };

/** A clock the test moves by hand. */
class ManualClock {
  constructor(public time: number) {}
  now() {
    return this.time;
  }
  realMs(ms: number) {
    return ms;
  }
}

function findDevice(matches: (device: GeneratedDevice) => boolean, seed = 1): GeneratedDevice {
  for (let index = 0; index < 2000; index++) {
    const device = generateDevice(seed, index);
    if (matches(device)) return device;
  }
  throw new Error('no such device among the first 2000');
}

/** An Android phone with a SIM: it can collect every category. */
const androidPhone = (device: GeneratedDevice) =>
  device.facts.os === 'android' && device.facts.phoneNumber !== null;

const enabling = (categories: readonly AuditCategory[], uploadInterval = '1h'): AuditSettings =>
  Object.fromEntries(categories.map((category) => [category, { enabled: true, uploadInterval }]));

function startCollector(
  device: GeneratedDevice,
  policy: AuditSettings | undefined,
  { grants = ALL_GRANTED, start = MONDAY } = {},
) {
  const clock = new ManualClock(start);
  const changes: ConsentChange[] = [];
  const collector = new AuditCollector({
    device,
    view: { apps: () => device.apps, restrictions: () => DEFAULT_RESTRICTIONS },
    clock,
    grants,
    policy,
    consentChanges: false,
    onConsentChange: (change) => changes.push(change),
  });
  collector.start();
  /** Moves time on by `ms`, collecting every hour as uploads would; returns what was collected. */
  const run = (ms: number) => {
    const events: DeviceEventInput[] = [];
    const end = clock.time + ms;
    while (clock.time < end) {
      clock.time = Math.min(end, clock.time + HOUR);
      events.push(...collector.collectDue());
    }
    return events;
  };
  return { collector, clock, run, changes };
}

const ofCategory = <C extends AuditCategory>(events: DeviceEventInput[], category: C) =>
  events.filter((e): e is Extract<DeviceEventInput, { category: C }> => e.category === category);
const timeOf = (event: DeviceEventInput) => Date.parse(event.occurredAt);

describe('audit events of a device', () => {
  const device = findDevice(
    (d) => androidPhone(d) && d.location.longitude > -30 && d.location.longitude < 30,
  );
  const { collector, run } = startCollector(device, enabling(AUDIT_CATEGORIES));
  const routine = collector.routine;
  const week = run(7 * DAY);
  const localWeekday = (event: DeviceEventInput) => {
    const day = routine.dayOf(timeOf(event) - routine.clockSkewMs);
    return (((day + 4) % 7) + 7) % 7;
  };

  it('are events of every category the protocol accepts, each with its own id', () => {
    for (const event of week) expect(DeviceEventInput.safeParse(event).error).toBeUndefined();
    const categories = new Set(week.map((e) => e.category));
    // Screenshots are rare: one device's week may have none (see below).
    for (const category of AUDIT_CATEGORIES.filter((c) => c !== 'screenshots')) {
      expect(categories.has(category), category).toBe(true);
    }
    expect(new Set(week.map((e) => e.eventId)).size).toBe(week.length);
  });

  it('locate the phone every few minutes, a few hundred metres around its home', () => {
    const fixes = ofCategory(week, 'location');
    expect(fixes.length).toBeGreaterThanOrEqual((7 * DAY) / (12 * MINUTE));
    expect(fixes.length).toBeLessThanOrEqual((7 * DAY) / (2.4 * MINUTE));
    for (const { data } of fixes) {
      const north = (data.latitude - device.location.latitude) * 111_320;
      const east =
        (data.longitude - device.location.longitude) * 111_320 * Math.cos((data.latitude * Math.PI) / 180);
      expect(Math.hypot(north, east)).toBeLessThan(3_000);
    }
    expect(new Set(fixes.map((f) => f.data.source))).toEqual(new Set(['gps', 'wifi', 'cell']));
  });

  it('log calls with E.164 numbers during working hours only', () => {
    const calls = ofCategory(week, 'callLog');
    expect(calls.length).toBeGreaterThan(10);
    for (const call of calls) {
      expect(call.data.number).toMatch(/^\+[1-9]\d{7,14}$/);
      expect(routine.isWorking(timeOf(call) - routine.clockSkewMs)).toBe(true);
      if (call.data.direction === 'missed') expect(call.data.durationSeconds).toBe(0);
    }
    expect(calls.some((c) => localWeekday(c) === 0 || localWeekday(c) === 6)).toBe(false);
  });

  it('sign in at the start of each shift and out at its end, on workdays', () => {
    const signs = ofCategory(week, 'signInOut');
    expect(signs.length).toBeGreaterThanOrEqual(8);
    expect(signs.length).toBeLessThanOrEqual(12);
    signs.forEach((sign, i) => {
      if (i > 0) expect(sign.data.kind).not.toBe(signs[i - 1]!.data.kind);
      expect([1, 2, 3, 4, 5]).toContain(localWeekday(sign));
    });
  });

  it('report app usage per hour for installed apps only', () => {
    const usage = ofCategory(week, 'appUsage');
    const installed = new Set(device.apps.map((app) => app.packageId));
    expect(usage.length).toBeGreaterThan(7 * 10);
    for (const { data } of usage) {
      expect(installed.has(data.packageId)).toBe(true);
      expect(Date.parse(data.periodEnd) - Date.parse(data.periodStart)).toBe(HOUR);
      expect(data.foregroundSeconds).toBeLessThanOrEqual(3600);
    }
  });

  it('scan new files every night', () => {
    const scans = ofCategory(week, 'fileVirusScan');
    const nights = new Set(scans.map((scan) => routine.dayOf(timeOf(scan) - routine.clockSkewMs)));
    expect(nights.size).toBeGreaterThanOrEqual(4);
    for (const { data } of scans) {
      expect(data.path).toMatch(/^\/storage\/emulated\/0\//);
      expect(data.threat === null).toBe(data.verdict === 'clean');
    }
  });

  it('report the network when it changes, mostly operation logs in between', () => {
    const networks = ofCategory(week, 'networkInfo');
    expect(networks.length).toBeGreaterThan(5);
    networks.slice(1).forEach((network, i) => {
      const before = networks[i]!.data;
      expect(`${network.data.networkType} ${network.data.ssid}`).not.toBe(
        `${before.networkType} ${before.ssid}`,
      );
    });
    const operations = ofCategory(week, 'operationLogs');
    expect(operations.length).toBeGreaterThan(7 * 16 * 5);
  });
});

describe('audit events across devices', () => {
  const week = (device: GeneratedDevice) => startCollector(device, enabling(AUDIT_CATEGORIES)).run(7 * DAY);
  const phones = Array.from({ length: 400 }, (_, i) => generateDevice(7, i))
    .filter(androidPhone)
    .slice(0, 40);
  const events = phones.flatMap(week);

  it('find mostly clean files, and now and then take a screenshot', () => {
    const scans = ofCategory(events, 'fileVirusScan');
    const clean = scans.filter((scan) => scan.data.verdict === 'clean').length;
    expect(clean / scans.length).toBeGreaterThan(0.9);
    const screenshots = ofCategory(events, 'screenshots');
    expect(screenshots.length).toBeGreaterThan(0);
    expect(screenshots.length).toBeLessThan(phones.length * 7);
    for (const { data } of screenshots) expect(data.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('are none of call log, screenshots or files on iPhones, which do not allow them', () => {
    const iphone = findDevice((d) => d.facts.os === 'ios' && d.facts.phoneNumber !== null);
    const categories = new Set(week(iphone).map((e) => e.category));
    expect(categories.has('location')).toBe(true);
    for (const category of ['callLog', 'screenshots', 'fileVirusScan'] as const) {
      expect(categories.has(category)).toBe(false);
    }
  });

  it('come from a few devices whose clock is minutes off', () => {
    const skews = Array.from({ length: 2000 }, (_, i) => startCollector(generateDevice(3, i), undefined))
      .map(({ collector }) => collector.routine.clockSkewMs)
      .filter((skew) => skew !== 0);
    expect(skews.length).toBeGreaterThan(2000 * 0.005);
    expect(skews.length).toBeLessThan(2000 * 0.05);
    for (const skew of skews) {
      expect(Math.abs(skew)).toBeGreaterThanOrEqual(2 * MINUTE);
      expect(Math.abs(skew)).toBeLessThanOrEqual(45 * MINUTE);
    }
    const skewed = findDevice(
      (d) => androidPhone(d) && startCollector(d, undefined).collector.routine.clockSkewMs !== 0,
    );
    const { collector, run } = startCollector(skewed, enabling(['signInOut']));
    const signIn = ofCategory(run(7 * DAY), 'signInOut').find((e) => e.data.kind === 'sign-in')!;
    const realTime = timeOf(signIn) - collector.routine.clockSkewMs;
    expect(collector.routine.shift(collector.routine.dayOf(realTime)).start).toBe(realTime);
  });
});

describe('what a device collects', () => {
  const device = findDevice(androidPhone);

  it('is only what the policy enables', () => {
    expect(startCollector(device, undefined).run(2 * DAY)).toEqual([]);
    const events = startCollector(device, enabling(['location', 'callLog'])).run(2 * DAY);
    expect(new Set(events.map((e) => e.category))).toEqual(new Set(['location', 'callLog']));
  });

  it('leaves out what the user did not grant; categories without a permission need the policy only', () => {
    const grants = { ...ALL_GRANTED, callLog: false, files: false };
    const events = startCollector(device, enabling(AUDIT_CATEGORIES), { grants }).run(2 * DAY);
    const categories = new Set(events.map((e) => e.category));
    for (const category of ['callLog', 'screenshots', 'fileVirusScan'] as const) {
      expect(categories.has(category)).toBe(false);
    }
    for (const category of ['location', 'operationLogs', 'networkInfo', 'signInOut'] as const) {
      expect(categories.has(category)).toBe(true);
    }
  });

  it('still hands out at the next upload what it collected before a permission was withdrawn, then nothing', () => {
    const { collector, clock, run, changes } = startCollector(device, enabling(['callLog'], '1d'));
    run(2 * DAY + 12 * HOUR); // Monday, Tuesday and half of Wednesday; the second upload is due Wednesday 00:00
    const withdrawnAt = clock.time + 3 * HOUR;
    clock.time = withdrawnAt;
    expect(collector.setPermission('callLog', false)).toBe(true);
    expect(collector.setPermission('callLog', false)).toBe(false);
    expect(changes).toEqual([{ at: withdrawnAt, permission: 'callLog', granted: false }]);
    expect(collector.consent).toEqual({ grants: { ...ALL_GRANTED, callLog: false }, version: 1 });

    const after = run(3 * DAY);
    const calls = ofCategory(after, 'callLog');
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.every((call) => timeOf(call) - collector.routine.clockSkewMs < withdrawnAt)).toBe(true);
    expect(collector.nextDueAt()).toBe(Number.POSITIVE_INFINITY);

    collector.setPermission('callLog', true);
    expect(collector.nextDueAt()).toBe(clock.time + DAY);
    expect(ofCategory(run(3 * DAY), 'callLog').length).toBeGreaterThan(0);
  });

  it('uploads each category on its own interval', () => {
    const policy: AuditSettings = {
      location: { enabled: true, uploadInterval: '15m' },
      operationLogs: { enabled: true, uploadInterval: '6h' },
      networkInfo: { enabled: true },
    };
    const { collector, clock } = startCollector(device, policy);
    expect(collector.nextDueAt()).toBe(MONDAY + 5 * MINUTE);
    clock.time = MONDAY + 15 * MINUTE;
    expect(new Set(collector.collectDue().map((e) => e.category))).toEqual(
      new Set(['location', 'networkInfo']),
    );
    clock.time = MONDAY + 6 * HOUR;
    expect(new Set(collector.collectDue().map((e) => e.category))).toEqual(
      new Set(['location', 'networkInfo', 'operationLogs']),
    );
    expect(collector.nextDueAt()).toBe(MONDAY + 6 * HOUR + 5 * MINUTE);
  });

  it('keeps a bounded backlog when it could not upload for a long time', () => {
    const { collector, clock } = startCollector(device, enabling(['location'], '1h'));
    clock.time = MONDAY + 10 * DAY;
    const fixes = collector.collectDue();
    expect(fixes.length).toBeGreaterThan(0);
    const oldest = Math.min(...fixes.map(timeOf)) - collector.routine.clockSkewMs;
    expect(oldest).toBeGreaterThanOrEqual(clock.time - HOUR - MAX_BACKLOG_MS);
  });
});

describe("a user's own consent decisions", () => {
  it('withdraw a permission now and then, and mostly grant it again within days', () => {
    const hours = 365 * 24;
    let changes = 0;
    let grantedHours = 0;
    for (let i = 0; i < 100; i++) {
      const grants = { ...ALL_GRANTED };
      const decisions = new ConsentDecisions(grants, new Random(11, i));
      decisions.start(0);
      for (let hour = 1; hour <= hours; hour++) {
        changes += decisions.until(hour * HOUR).length;
        grantedHours += Object.values(grants).filter(Boolean).length / 4;
      }
    }
    const perDeviceHour = changes / (100 * hours);
    expect(perDeviceHour).toBeGreaterThan(0.001);
    expect(perDeviceHour).toBeLessThan(0.02);
    expect(grantedHours / (100 * hours)).toBeGreaterThan(0.8);
  });
});
