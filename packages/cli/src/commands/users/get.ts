import type { Handler } from '../../command';
import { record } from '../../output/view';
import { userColumns } from './columns';
import { resolveUser } from './resolve';

/** Shows one user, named by id or e-mail address. */
export const handler: Handler<{ user: string }> = async ({ user }, { client }) =>
  record(await resolveUser(await client(), user), userColumns);
