import type { Credentials, GlobalOptions } from './command';
import type { ProfileStore } from './config';
import { UsageError } from './errors';
import { isHttpUrl } from './options';

const LOGIN_HINT = 'run `fleetops login --server URL --token TOKEN`, or pass --server and --token';

/**
 * Where to connect and with which token: `--server`/`--token` (or `FLEETOPS_SERVER`/`FLEETOPS_TOKEN`)
 * win over the profile (`--profile`, `FLEETOPS_PROFILE`, else the current one). A profile's token
 * is only sent to that profile's own server.
 */
export function resolveCredentials(
  globals: Pick<GlobalOptions, 'profile' | 'server' | 'serverFromEnv' | 'token'>,
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
  if (server) checkServerUrl(server, serverOrigin(globals, name));
  if (!server || !token) {
    const missing = !server ? 'no server and no token' : 'no token';
    throw new UsageError(`not logged in: ${missing} given and no profile to take it from`, LOGIN_HINT);
  }
  return { server, token, ...(sameServer && name && profile ? { profile: name } : {}) };
}

/** Where a server URL was given, as a message names it, and how to fix it there. */
export interface ServerOrigin {
  /** `--server`, `FLEETOPS_SERVER` or `profile "name"`. */
  label: string;
  hint: string;
}

const URL_EXAMPLE = 'give a URL such as https://fleet.example.com or http://127.0.0.1:8420';

/** Where the server URL of a run comes from: the flag or its variable when given, else profile `profile`. */
export function serverOrigin(
  globals: Pick<GlobalOptions, 'server' | 'serverFromEnv'>,
  profile: string | undefined,
): ServerOrigin {
  if (globals.server !== undefined) {
    return { label: globals.serverFromEnv ? 'FLEETOPS_SERVER' : '--server', hint: URL_EXAMPLE };
  }
  return {
    label: `profile "${profile}"`,
    hint: `log in again: fleetops login --name ${profile} --server URL --token TOKEN`,
  };
}

/** Returns `url` when it is an http(s) URL; otherwise a usage error that names where it came from. */
export function checkServerUrl(url: string, origin: ServerOrigin): string {
  if (isHttpUrl(url)) return url;
  throw new UsageError(`${origin.label}: ${JSON.stringify(url)} is not an http(s) URL`, origin.hint);
}

/** Whether two server URLs name the same server (ignoring a trailing slash). */
export const sameUrl = (a: string, b: string) => a.replace(/\/+$/, '') === b.replace(/\/+$/, '');
