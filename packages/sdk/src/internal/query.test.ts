import { describe, expect, it } from 'vitest';
import { queryString } from './query';

describe('queryString', () => {
  it('skips undefined and null, encodes the rest', () => {
    expect(queryString({ a: undefined, b: null, c: 'x y&z', d: 2, e: false })).toBe('?c=x+y%26z&d=2&e=false');
  });

  it('repeats a key for each item of an array', () => {
    expect(queryString({ label: ['a', 'b'] })).toBe('?label=a&label=b');
  });

  it('is empty when nothing is left', () => {
    expect(queryString({ a: undefined })).toBe('');
    expect(queryString(undefined)).toBe('');
  });
});
