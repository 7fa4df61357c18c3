import { describe, expect, it } from 'vitest';
import {
  CompletionRate,
  formatDuration,
  ProgressThrottle,
  progressLine,
  tally,
} from '../src/commands/jobs/progress';
import { JOB_ID, jobOf } from './jobs-fixtures';

describe('tally', () => {
  it('counts queued, delivered and acknowledged devices as pending, and leaves skipped ones out of the total', () => {
    expect(
      tally(jobOf({ queued: 1, delivered: 2, acknowledged: 3, succeeded: 4, skipped: 5 }).counts),
    ).toEqual({
      total: 10,
      succeeded: 4,
      failed: 0,
      expired: 0,
      canceled: 0,
      pending: 6,
      skipped: 5,
    });
  });
});

describe('progressLine', () => {
  it('says where a running job stands, how fast devices finish and when it should end', () => {
    const job = jobOf({ succeeded: 1200, failed: 3, queued: 797 });
    expect(progressLine(job, 410)).toBe(
      `job ${JOB_ID} running: 1200/2000 succeeded, 3 failed, 797 pending, 410/s, ETA 2s`,
    );
  });

  it('names expired, canceled and skipped devices only when there are some', () => {
    const job = jobOf({ succeeded: 5, expired: 2, canceled: 1, skipped: 4 }, { status: 'completed' });
    expect(progressLine(job, 3)).toBe(
      `job ${JOB_ID} completed: 5/8 succeeded, 0 failed, 2 expired, 1 canceled, 0 pending, 4 skipped`,
    );
  });

  it('leaves out the rate and ETA until the rate is known, and the ETA while nothing finishes', () => {
    const job = jobOf({ queued: 10 });
    expect(progressLine(job)).toBe(`job ${JOB_ID} running: 0/10 succeeded, 0 failed, 10 pending`);
    expect(progressLine(job, 0)).toBe(`job ${JOB_ID} running: 0/10 succeeded, 0 failed, 10 pending, 0/s`);
    expect(progressLine(job, 0.25)).toMatch(/, 0\.3\/s, ETA 40s$/);
  });

  it('gives no rate for a job that does not run yet', () => {
    const job = jobOf({ queued: 10 }, { status: 'scheduled' });
    expect(progressLine(job, 5)).toBe(`job ${JOB_ID} scheduled: 0/10 succeeded, 0 failed, 10 pending`);
  });
});

describe('formatDuration', () => {
  it('reads as seconds, minutes and seconds, or hours and minutes', () => {
    expect([0, 1400, 59_000, 125_000, 3_720_000].map(formatDuration)).toEqual([
      '0s',
      '1s',
      '59s',
      '2m05s',
      '1h02m',
    ]);
  });
});

describe('CompletionRate', () => {
  it('is unknown until two samples lie apart in time', () => {
    const rate = new CompletionRate();
    expect(rate.perSecond()).toBeUndefined();
    rate.record(0, 1000);
    rate.record(5, 1000);
    expect(rate.perSecond()).toBeUndefined();
  });

  it('is the devices finished per second over the last window, so a stalled job slows to 0', () => {
    const rate = new CompletionRate(10_000);
    rate.record(0, 0);
    rate.record(100, 1000);
    rate.record(200, 2000);
    expect(rate.perSecond()).toBe(100);
    for (let at = 3000; at <= 20_000; at += 1000) rate.record(200, at);
    expect(rate.perSecond()).toBe(0);
  });
});

describe('ProgressThrottle', () => {
  it('prints the first line, then a change at most every few seconds, and a new status at once', () => {
    const throttle = new ProgressThrottle(5000);
    expect(throttle.due(jobOf({ queued: 10 }), 0)).toBe(true);
    expect(throttle.due(jobOf({ queued: 9, succeeded: 1 }), 1000)).toBe(false);
    expect(throttle.due(jobOf({ queued: 9, succeeded: 1 }), 5000)).toBe(true);
    expect(throttle.due(jobOf({ queued: 9, succeeded: 1 }), 20_000)).toBe(false);
    expect(throttle.due(jobOf({ succeeded: 10 }, { status: 'completed' }), 20_500)).toBe(true);
  });
});
