import type { JobResult } from '@fleetops/sdk';
import { render } from 'ink-testing-library';
import { createElement } from 'react';
import { describe, expect, it } from 'vitest';
import { JOB_ID, jobOf } from '../../test/jobs-fixtures';
import { JobView, type JobViewProps } from './job-view';

const draw = (props: JobViewProps) => render(createElement(JobView, props));

const failure = (overrides: Partial<JobResult>): JobResult => ({
  deviceId: '7d1c5d4e-0000-4000-8000-00000000abcd',
  commandId: '7d1c5d4e-0000-4000-8000-0000000000c1',
  serial: 'SER000001',
  status: 'failed',
  error: 'app not installed: com.example.mail',
  line: null,
  result: null,
  deliveredAt: '2025-01-02T03:04:06.000Z',
  completedAt: '2025-01-02T03:04:07.000Z',
  ...overrides,
});

describe('JobView', () => {
  it('shows the job, its devices per status, the rate, the ETA and the elapsed time', () => {
    const view = draw({
      job: jobOf({ succeeded: 1200, failed: 3, queued: 797, skipped: 5 }),
      perSecond: 410,
      elapsedMs: 65_000,
      failures: [],
    });
    const frame = view.lastFrame() ?? '';
    expect(frame).toContain(`job ${JOB_ID} · lock`);
    expect(frame).toContain('running · elapsed 1m05s · 410/s · ETA 2s');
    expect(frame).toContain('1203/2000');
    expect(frame).toMatch(/1200\s+3\s+797\s+5/);
    expect(frame).toMatch(/succeeded\s+failed\s+pending\s+skipped/);
    expect(frame).not.toContain('expired');
    expect(frame).toContain('Ctrl-C stops following');
    view.unmount();
  });

  it('draws the bar in proportion: succeeded first, pending last', () => {
    const view = draw({ job: jobOf({ succeeded: 1, queued: 3 }), elapsedMs: 0, failures: [] });
    expect(view.lastFrame()).toContain(`${'█'.repeat(10)}${'░'.repeat(30)} 1/4`);
    view.unmount();
  });

  it('lists the latest failures with the device, its serial and the reason, control characters shown', () => {
    const view = draw({
      job: jobOf({ succeeded: 8, failed: 2 }, { status: 'completed' }),
      elapsedMs: 3000,
      failures: [
        failure({ serial: 'SER\x1b[2J9', error: 'screen in use' }),
        failure({ deviceId: '7d1c5d4e-0000-4000-8000-00000000beef', serial: null, error: null }),
      ],
    });
    const frame = view.lastFrame() ?? '';
    expect(frame).toContain('latest failures:');
    expect(frame).toContain('✖ SER^[[2J9 screen in use (device 7d1c5d4e-0000-4000-8000-00000000abcd)');
    expect(frame).toContain('✖ 7d1c5d4e-0000-4000-8000-00000000beef failed');
    expect(frame).not.toContain('\x1b[2J');
    view.unmount();
  });

  it('gives no rate or ETA once the job has ended', () => {
    const view = draw({
      job: jobOf({ succeeded: 4 }, { status: 'completed' }),
      perSecond: 2,
      elapsedMs: 2000,
      failures: [],
    });
    expect(view.lastFrame()).toMatch(/│ completed · elapsed 2s\s+│/);
    view.unmount();
  });
});
