import Conf from 'conf';
import type { Credentials } from './command';

/** A saved server and API token. */
export type Profile = Credentials;

/** A profile as listed: never with its token, only a recognisable prefix. */
export interface ProfileSummary {
  name: string;
  server: string;
  tokenPrefix: string;
  current: boolean;
}

interface ConfigFile {
  current?: string;
  profiles: Record<string, Profile>;
}

/** The saved profiles and which one is current. */
export interface ProfileStore {
  /** The file the profiles live in. */
  readonly path: string;
  currentName(): string | undefined;
  get(name: string): Profile | undefined;
  list(): ProfileSummary[];
  /** Saves (or replaces) a profile. */
  save(name: string, profile: Profile): void;
  /** Makes an existing profile the current one. */
  use(name: string): void;
}

const TOKEN_PREFIX_LENGTH = 12;

/** The first characters of a secret, enough to recognise it. */
export const tokenPrefix = (token: string) => `${token.slice(0, TOKEN_PREFIX_LENGTH)}…`;

/**
 * Opens the profile file: `$FLEETOPS_CONFIG_DIR/config.json` when that variable is set,
 * else the user's config directory. The file is written with mode 0600: it holds secrets.
 */
export function openProfileStore(env: NodeJS.ProcessEnv = process.env): ProfileStore {
  const conf = new Conf<ConfigFile>({
    projectName: 'fleetops',
    projectSuffix: '',
    cwd: env.FLEETOPS_CONFIG_DIR || undefined,
    configFileMode: 0o600,
    defaults: { profiles: {} },
  });
  const profiles = () => conf.get('profiles') ?? {};
  return {
    path: conf.path,
    currentName: () => conf.get('current'),
    get: (name) => (Object.hasOwn(profiles(), name) ? profiles()[name] : undefined),
    list: () =>
      Object.entries(profiles())
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([name, p]) => ({
          name,
          server: p.server,
          tokenPrefix: tokenPrefix(p.token),
          current: name === conf.get('current'),
        })),
    save: (name, profile) => conf.set('profiles', { ...profiles(), [name]: profile }),
    use: (name) => conf.set('current', name),
  };
}
