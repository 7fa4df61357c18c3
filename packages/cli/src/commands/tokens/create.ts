import type { CreatedApiToken, Role } from '@fleetops/sdk';
import type { Handler } from '../../command';
import { type Column, record } from '../../output/view';
import { apiTokenColumns } from './columns';

/** Options of `tokens create`. */
export interface CreateTokenOptions {
  name: string;
  role: Role;
}

const columns: Column<CreatedApiToken>[] = [
  { key: 'token', header: 'TOKEN', value: (t) => t.token },
  ...apiTokenColumns,
];

/** Creates an API token for a script or a CI job; its secret is shown once. */
export const handler: Handler<CreateTokenOptions> = async (opts, { client, io }) => {
  const created = await (await client()).tokens.create({ name: opts.name, role: opts.role });
  io.info('the token is shown only now: keep it safe');
  return record(created, columns);
};
