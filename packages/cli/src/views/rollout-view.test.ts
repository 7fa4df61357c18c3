import { render } from 'ink-testing-library';
import { createElement } from 'react';
import { describe, expect, it } from 'vitest';
import { ROLLOUT_ID, rolloutOf, waveOf } from '../../test/rollout-fixtures';
import { RolloutView, type RolloutViewProps } from './rollout-view';

const draw = (props: RolloutViewProps) => render(createElement(RolloutView, props));
const now = new Date('2025-01-02T03:10:00.000Z');

describe('RolloutView', () => {
  it('shows the rollout, the failure rate against the threshold, the next wave, and each wave', () => {
    const rollout = rolloutOf(
      [
        waveOf(0, '10%', { devices: 1, applied: 1, completedAt: '2025-01-02T03:05:00.000Z' }),
        waveOf(1, '50%', { devices: 4, applied: 2, failed: 1 }),
        waveOf(2, '100%', { devices: 5, releasedAt: null }),
      ],
      { currentWave: 1, failureRate: 25, haltOnFailurePercent: 30, nextWaveAt: '2025-01-02T03:12:00.000Z' },
    );
    const view = draw({ rollout, now });
    const frame = view.lastFrame() ?? '';
    expect(frame).toContain(`rollout ${ROLLOUT_ID} · corp-baseline v1 → v2`);
    expect(frame).toContain(
      'running · wave 2/3 · 3/10 applied · failure rate 25% (halts above 30%) · next wave in 2m00s',
    );
    expect(frame).toContain(
      `wave 1   10% ${'█'.repeat(30)} 1 applied · 0 failed · 0 pending of 1 · completed`,
    );
    expect(frame).toMatch(/wave 2 {3}50% █{23}░{7} 2 applied · 1 failed · 1 pending of 4 · released/);
    expect(frame).toContain(`wave 3  100% ${'░'.repeat(30)} 0 applied · 0 failed · 5 pending of 5 · pending`);
    expect(frame).toContain('Ctrl-C stops following');
    view.unmount();
  });

  it('a halted rollout shows why, and no Ctrl-C hint', () => {
    const rollout = rolloutOf([waveOf(0, '100%', { devices: 2, failed: 2 })], {
      status: 'halted',
      failureRate: 100,
      haltReason: 'failure rate 100% above 5%',
    });
    const frame = draw({ rollout, now }).lastFrame() ?? '';
    expect(frame).toContain('halted · wave 1/1 · 0/2 applied · failure rate 100% (halts above 5%)');
    expect(frame).toContain('halted: failure rate 100% above 5%');
    expect(frame).not.toContain('Ctrl-C');
  });
});
