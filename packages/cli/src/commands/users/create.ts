import type { Handler } from '../../command';
import { record } from '../../output/view';
import { userColumns } from './columns';

/** Options of `users create`. */
export interface CreateUserOptions {
  email: string;
  name: string;
  phone?: string;
  externalId?: string;
}

/** Opens an account for a user. */
export const handler: Handler<CreateUserOptions> = async (opts, { client, io }) => {
  const user = await (await client()).users.create({
    email: opts.email,
    name: opts.name,
    ...(opts.phone !== undefined && { phone: opts.phone }),
    ...(opts.externalId !== undefined && { externalId: opts.externalId }),
  });
  io.info(`created user ${user.id}`);
  return record(user, userColumns);
};
