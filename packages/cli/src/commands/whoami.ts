import type { WhoAmI } from '@fleetops/sdk';
import type { Handler } from '../command';
import { resolveCredentials } from '../credentials';
import { type Column, record } from '../output/view';

/** Who the CLI acts as, and where. */
export interface Identity extends WhoAmI {
  server: string;
  profile: string | null;
}

/** Fields of an identity. */
export const identityColumns: Column<Identity>[] = [
  { key: 'server', header: 'Server', value: (i) => i.server },
  { key: 'profile', header: 'Profile', value: (i) => i.profile },
  { key: 'org', header: 'Org', value: (i) => i.org.name },
  { key: 'orgId', header: 'Org id', value: (i) => i.org.id },
  { key: 'token', header: 'Token', value: (i) => i.token.name },
  { key: 'role', header: 'Role', value: (i) => i.token.role },
  { key: 'tokenPrefix', header: 'Token prefix', value: (i) => i.token.prefix },
];

/** Shows the org and token the CLI acts as. */
export const handler: Handler<object> = async (opts, { client, config }) => {
  const credentials = resolveCredentials(opts, config);
  const me = await (await client(credentials)).whoami();
  return record<Identity>(
    { ...me, server: credentials.server, profile: credentials.profile ?? null },
    identityColumns,
  );
};
