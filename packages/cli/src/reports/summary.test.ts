import { describe, expect, it } from 'vitest';
import { emptyScan, scan } from './scan-fixtures';
import { ratePercent, scanSummary } from './summary';

describe('scanSummary', () => {
  it('gives devices scanned, non-compliant, the rate and devices by worst severity', () => {
    expect(scanSummary(scan)).toBe(
      'scanned 35 devices, 3 non-compliant, rate 91.4%, by severity: critical 1, high 1, medium 1, low 0',
    );
  });

  it('names the selector of a narrowed scan', () => {
    expect(scanSummary({ ...scan, where: 'group = finance' })).toMatch(
      /^scanned 35 devices \(where group = finance\), /,
    );
  });

  it('says so when there is nothing to scan', () => {
    expect(scanSummary(emptyScan)).toBe('no devices to scan');
  });
});

describe('ratePercent', () => {
  it('rounds down, so that a fleet with a non-compliant device never reads 100%', () => {
    expect(ratePercent(34 / 35)).toBe('97.1%');
    expect(ratePercent(0.971)).toBe('97.1%');
    expect(ratePercent(99_999 / 100_000)).toBe('99.9%');
    expect(ratePercent(1)).toBe('100%');
    expect(ratePercent(0)).toBe('0.0%');
  });
});
