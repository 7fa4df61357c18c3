import type { Handler } from '../../command';
import { record } from '../../output/view';
import { userColumns } from './columns';
import { resolveUser } from './resolve';

/** Disables a user: their devices are refused from their next call to the server. */
export const disable: Handler<{ user: string }> = async ({ user }, { client, io }) => {
  const fleet = await client();
  const disabled = await fleet.users.disable((await resolveUser(fleet, user)).id);
  io.info(`disabled ${user}: ${disabled.deviceCount} device(s) are refused from their next call`);
  return record(disabled, userColumns);
};

/** Enables a disabled user again. */
export const enable: Handler<{ user: string }> = async ({ user }, { client, io }) => {
  const fleet = await client();
  const enabled = await fleet.users.enable((await resolveUser(fleet, user)).id);
  io.info(`enabled ${user}`);
  return record(enabled, userColumns);
};
