import { describe, expect, it } from 'vitest';
import {
  AUDIT_CATEGORIES,
  AUDIT_EVENT_DATA,
  AuditEventQuery,
  CATEGORY_PERMISSION,
  ClientContext,
  DeviceEventInput,
  UploadEventsRequest,
} from './audit';

const location = {
  eventId: '0b6f7c1e-4d9a-4c1e-9f0a-2b8e6d4c3a21',
  occurredAt: '2026-11-25T10:00:00.000Z',
  category: 'location',
  data: { latitude: 48.85, longitude: 2.35, accuracyMeters: 12, source: 'gps' },
};

describe('device events', () => {
  it('accepts an event whose data fits its category', () => {
    expect(DeviceEventInput.parse(location)).toEqual(location);
  });

  it("refuses data of another category's shape", () => {
    const result = DeviceEventInput.safeParse({ ...location, category: 'callLog' });
    expect(result.success).toBe(false);
  });

  it('refuses an unknown category', () => {
    expect(DeviceEventInput.safeParse({ ...location, category: 'keystrokes' }).success).toBe(false);
  });

  it('refuses fields a category does not define', () => {
    const result = DeviceEventInput.safeParse({ ...location, data: { ...location.data, altitude: 3 } });
    expect(result.success).toBe(false);
  });

  it('defines data and a consent rule for every category', () => {
    for (const category of AUDIT_CATEGORIES) {
      expect(AUDIT_EVENT_DATA[category]).toBeDefined();
      expect(category in CATEGORY_PERMISSION).toBe(true);
    }
  });

  it('limits a batch to 1000 events', () => {
    const events = Array.from({ length: 1001 }, () => location);
    const result = UploadEventsRequest.safeParse({ deviceId: location.eventId, events });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toMatch(/at most 1000 events/);
  });
});

describe('event queries', () => {
  it('reads categories comma-separated, in kebab or camel case, without repeats', () => {
    const query = AuditEventQuery.parse({ category: 'location,call-log,callLog' });
    expect(query.category).toEqual(['location', 'callLog']);
  });

  it('names an unknown category and the valid ones', () => {
    const result = AuditEventQuery.safeParse({ category: 'location,keystrokes' });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toMatch(
      /unknown category "keystrokes": expected location, callLog/,
    );
  });
});

describe('client context', () => {
  it('takes short letter keys with plain values', () => {
    expect(ClientContext.parse({ gitCommit: 'abc123', ciRun: '42' })).toEqual({
      gitCommit: 'abc123',
      ciRun: '42',
    });
  });

  it('refuses keys that are not identifiers and values with control characters', () => {
    expect(ClientContext.safeParse({ 'git-commit': 'x' }).success).toBe(false);
    expect(ClientContext.safeParse({ gitCommit: 'a\u001b[2J' }).success).toBe(false);
  });
});
