import { describe, expect, it } from 'vitest';
import { UsageError } from '../../errors';
import { labelPatch } from './label';

describe('labelPatch', () => {
  it('adds and removes', () => {
    expect(labelPatch({ add: ['a'], remove: ['b'] })).toEqual({ addLabels: ['a'], removeLabels: ['b'] });
  });

  it('--set replaces, --clear empties', () => {
    expect(labelPatch({ set: ['a', 'b'] })).toEqual({ labels: ['a', 'b'] });
    expect(labelPatch({ clear: true })).toEqual({ labels: [] });
  });

  it('refuses nothing to do, and mixing replace with add/remove', () => {
    expect(() => labelPatch({})).toThrow(UsageError);
    expect(() => labelPatch({ set: ['a'], add: ['b'] })).toThrow(UsageError);
    expect(() => labelPatch({ clear: true, remove: ['b'] })).toThrow(UsageError);
    expect(() => labelPatch({ clear: true, set: ['a'] })).toThrow(UsageError);
  });
});
