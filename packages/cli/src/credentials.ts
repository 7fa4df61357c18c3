import type { Credentials, GlobalOptions } from './command';
import type { ProfileStore } from './config';
import { UsageError } from './errors';

const LOGIN_HINT = 'run `fleetops login --server URL --token TOKEN`, or pass --server and --token';

/**
 * Where to connect and with which token: `--server`/`--token` (or `FLEETOPS_SERVER`/`FLEETOPS_TOKEN`)
 * win over the profile (`--profile`, `FLEETOPS_PROFILE`, else the current one). A profile's token
 * is only sent to that profile's own server.
 */
export function resolveCredentials(
  globals: Pick<GlobalOptions, 'profile' | 'server' | 'token'>,
  store: ProfileStore,
): Credentials & { profile?: string } {
  const name = globals.profile ?? store.currentName();
  const profile = name === undefined ? undefined : store.get(name);
  if (globals.profile !== undefined && !profile) {
    throw new UsageError(`no profile named "${globals.profile}"`, 'see `fleetops profiles ls`');
  }
  const sameServer = !globals.server || (profile && sameUrl(globals.server, profile.server));
  const server = globals.server ?? profile?.server;
  const token = globals.token ?? (sameServer ? profile?.token : undefined);
  if (!server || !token) {
    const missing = !server ? 'no server and no token' : 'no token';
    throw new UsageError(`not logged in: ${missing} given and no profile to take it from`, LOGIN_HINT);
  }
  return { server, token, ...(sameServer && name && profile ? { profile: name } : {}) };
}

/** Whether two server URLs name the same server (ignoring a trailing slash). */
export const sameUrl = (a: string, b: string) => a.replace(/\/+$/, '') === b.replace(/\/+$/, '');
