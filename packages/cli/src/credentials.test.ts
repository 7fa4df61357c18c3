import { describe, expect, it } from 'vitest';
import type { Profile, ProfileStore } from './config';
import { resolveCredentials } from './credentials';
import { UsageError } from './errors';

function store(profiles: Record<string, Profile>, current?: string): ProfileStore {
  return {
    path: '/dev/null',
    currentName: () => current,
    get: (name) => profiles[name],
    list: () => [],
    save: () => {},
    use: () => {},
  };
}

const work = { server: 'https://fleet.example.com', token: 'fo_work' };
const lab = { server: 'http://127.0.0.1:8420', token: 'fo_lab' };
const profiles = store({ work, lab }, 'work');

describe('resolveCredentials', () => {
  it('takes the current profile by default', () => {
    expect(resolveCredentials({}, profiles)).toEqual({ ...work, profile: 'work' });
  });

  it('--profile picks another one', () => {
    expect(resolveCredentials({ profile: 'lab' }, profiles)).toEqual({ ...lab, profile: 'lab' });
  });

  it('--server and --token win over any profile', () => {
    expect(resolveCredentials({ server: 'http://x', token: 't' }, profiles)).toEqual({
      server: 'http://x',
      token: 't',
    });
  });

  it('--token alone keeps the profile server', () => {
    expect(resolveCredentials({ token: 't' }, profiles)).toEqual({
      server: work.server,
      token: 't',
      profile: 'work',
    });
  });

  it("--server of the profile's own server keeps its token, a trailing slash aside", () => {
    expect(resolveCredentials({ server: `${work.server}/` }, profiles).token).toBe(work.token);
  });

  it("never sends a profile's token to another server", () => {
    expect(() => resolveCredentials({ server: 'http://elsewhere' }, profiles)).toThrow(/no token/);
  });

  it('is a usage error without any credentials, or with an unknown profile', () => {
    expect(() => resolveCredentials({}, store({}))).toThrow(UsageError);
    expect(() => resolveCredentials({ profile: 'nope' }, profiles)).toThrow('no profile named "nope"');
  });

  it.each([
    [{ server: 'fleet.example.com', token: 't' }, '--server: "fleet.example.com" is not an http(s) URL'],
    [
      { server: 'ftp://fleet.example.com', serverFromEnv: true },
      'FLEETOPS_SERVER: "ftp://fleet.example.com" is not',
    ],
    [{ profile: 'broken' }, 'profile "broken": "localhost:8420" is not an http(s) URL'],
  ])(
    'a server that is not an http(s) URL is a usage error naming where it came from: %j',
    (globals, message) => {
      const withBroken = store({ work, broken: { server: 'localhost:8420', token: 'fo_b' } }, 'work');
      expect(() => resolveCredentials(globals, withBroken)).toThrow(UsageError);
      expect(() => resolveCredentials(globals, withBroken)).toThrow(message);
    },
  );
});
