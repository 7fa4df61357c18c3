import { describe, expect, it } from 'vitest';
import { FleetError } from '../core/errors';
import { path } from './path';

describe('path', () => {
  it('percent-encodes each parameter', () => {
    expect(path`/v1/devices/${'a/b c'}/apps`).toBe('/v1/devices/a%2Fb%20c/apps');
    expect(path`/v1/x/${'%2e%2e'}`).toBe('/v1/x/%252e%252e');
  });

  it.each(['', '.', '..'])('refuses %j', (value) => {
    expect(() => path`/v1/devices/${value}`).toThrow(FleetError);
  });
});
