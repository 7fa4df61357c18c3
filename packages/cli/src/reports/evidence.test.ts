import { describe, expect, it } from 'vitest';
import { evidenceLines, evidenceSummary } from './evidence';

const app = (packageId: string, label: string | null = null) => ({
  packageId,
  name: packageId,
  version: '1.0',
  certificate: null,
  label,
});

describe('evidenceSummary', () => {
  it('names the offending app, its version and what the blocklist calls it', () => {
    expect(
      evidenceSummary({
        apps: [
          { packageId: 'com.mspy.lite', name: 'Update', version: '6.0.9', certificate: null, label: 'mSpy' },
        ],
      }),
    ).toBe('com.mspy.lite 6.0.9 (mSpy)');
  });

  it('falls back to the app name, and counts apps past the third', () => {
    const apps = ['a.one', 'a.two', 'a.three', 'a.four', 'a.five'].map((id) => app(id));
    apps[0] = { ...apps[0]!, name: 'One' };
    expect(evidenceSummary({ apps })).toBe('a.one 1.0 (One), a.two 1.0, a.three 1.0 +2 more');
  });

  it('says which required apps are missing or too old', () => {
    expect(
      evidenceSummary({
        missing: [
          { packageId: 'com.vpn', minVersion: '2.0', installedVersion: null },
          { packageId: 'com.mdm', minVersion: '3.1', installedVersion: '3.0' },
        ],
      }),
    ).toBe('com.vpn missing; com.mdm 3.0, needs 3.1');
  });

  it('gives the state found and the state expected', () => {
    expect(evidenceSummary({ found: '12', expected: '13' })).toBe('found 12, expected 13');
    expect(evidenceSummary({ found: null, expected: 'abc' })).toBe('found nothing, expected abc');
    expect(evidenceSummary({ found: '2026-01-01T00:00:00.000Z' })).toBe('found 2026-01-01T00:00:00.000Z');
    expect(evidenceSummary({})).toBe('');
  });
});

describe('evidenceLines', () => {
  it('lists every app with its certificate, one a line', () => {
    const apps = [
      app('a.one', 'Spy'),
      { ...app('a.two'), certificate: 'FF00' },
      app('a.three'),
      app('a.four'),
    ];
    expect(evidenceLines({ apps, found: 'x' })).toEqual([
      'app a.one 1.0 (Spy)',
      'app a.two 1.0, certificate FF00',
      'app a.three 1.0',
      'app a.four 1.0',
      'found x',
    ]);
  });
});
