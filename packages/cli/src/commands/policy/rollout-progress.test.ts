import { describe, expect, it } from 'vitest';
import { ROLLOUT_ID, rolloutOf, waveOf } from '../../../test/rollout-fixtures';
import { commaList } from '../../options';
import { percent } from './options';
import { nextWave, reached, rolloutLine, versionsOf, waveState } from './rollout-progress';
import { checkWaves } from './rollout-waves';

const now = new Date('2025-01-02T03:10:00.000Z');

describe('rollout options', () => {
  it('--waves takes percents and device counts, in order', () => {
    expect(checkWaves(commaList('1%, 10%,50,100%'))).toEqual(['1%', '10%', '50', '100%']);
    expect(checkWaves(['12.5%'])).toEqual(['12.5%']);
  });

  it.each(['abc', '0', '101%', '-5', '10 %'])('--waves refuses %j, naming the flag and the wave', (size) => {
    expect(() => checkWaves(['10%', size])).toThrow(
      `option '--waves <sizes>' has ${JSON.stringify(size)}: each wave is a percent such as 10% or a device count such as 50`,
    );
  });

  it('--waves refuses more than 20 waves, and is required', () => {
    expect(() => checkWaves(Array(21).fill('5%'))).toThrow("option '--waves <sizes>' has more than 20 waves");
    expect(() => checkWaves(undefined)).toThrow("required option '--waves <sizes>' not specified");
  });

  it('--halt-on-failure takes a percent with or without %', () => {
    expect(percent('2%')).toBe(2);
    expect(percent('0.5')).toBe(0.5);
    expect(percent('100%')).toBe(100);
  });

  it.each(['101%', '-1', 'two', '', '2%%'])('--halt-on-failure refuses %j', (value) => {
    expect(() => percent(value)).toThrow('expected a percent from 0 to 100, e.g. 2%');
  });
});

describe('rollout progress', () => {
  const waves = [
    waveOf(0, '25%', { devices: 2, applied: 1, failed: 1, completedAt: '2025-01-02T03:05:00.000Z' }),
    waveOf(1, '50%', { devices: 2, applied: 1 }),
    waveOf(2, '100%', { devices: 4, releasedAt: null }),
  ];

  it('counts the devices of the released waves only', () => {
    expect(reached(rolloutOf(waves))).toEqual({ applied: 2, failed: 1, pending: 1 });
  });

  it('tells a wave that is done, out, or waiting', () => {
    expect(waves.map(waveState)).toEqual(['completed', 'released', 'pending']);
  });

  it('one line: versions, status, wave, devices, failure rate against the threshold, next wave', () => {
    const rollout = rolloutOf(waves, {
      currentWave: 1,
      failureRate: 33.3333,
      nextWaveAt: '2025-01-02T03:14:10.000Z',
    });
    expect(rolloutLine(rollout, now)).toBe(
      `rollout ${ROLLOUT_ID} of corp-baseline v1 → v2 running: wave 2/3, 2/8 applied, 1 failed, 1 pending, ` +
        'failure rate 33.3% (halts above 5%), next wave in 4m10s',
    );
  });

  it('a halted rollout gives its reason, shown safely, and no next wave', () => {
    const rollout = rolloutOf(waves, {
      status: 'halted',
      nextWaveAt: '2025-01-02T03:14:10.000Z',
      haltReason: 'failure rate 50% above 5%\x1b[2J',
    });
    const line = rolloutLine(rollout, now);
    expect(line).toContain(' halted: wave 1/3,');
    expect(line).toMatch(/, halted: failure rate 50% above 5%\^\[\[2J$/);
    expect(nextWave(rollout, now)).toBeUndefined();
  });

  it('a policy that had no released version rolls out from none', () => {
    expect(versionsOf(rolloutOf(waves, { fromVersion: null, toVersion: 1 }))).toBe('none → v1');
  });
});
