import type { Handler } from '../command';
import { checkServerUrl, serverOrigin } from '../credentials';
import { UsageError } from '../errors';
import { record } from '../output/view';
import { type Identity, identityColumns } from './whoami';

/** Checks `--server` and `--token` with whoami, then saves them as profile `--name` and makes it current. */
export const handler: Handler<{ name: string }> = async (opts, { client, config, io }) => {
  if (!opts.server || !opts.token) {
    throw new UsageError('login needs --server and --token', 'fleetops login --server URL --token TOKEN');
  }
  checkServerUrl(opts.server, serverOrigin(opts, undefined));
  const fleet = await client({ server: opts.server, token: opts.token });
  const me = await fleet.whoami();
  config.save(opts.name, { server: fleet.baseUrl, token: opts.token });
  config.use(opts.name);
  io.info(
    `logged in to ${fleet.baseUrl} as ${me.token.name} (${me.token.role}); profile "${opts.name}" is current`,
  );
  return record<Identity>({ ...me, server: fleet.baseUrl, profile: opts.name }, identityColumns);
};
