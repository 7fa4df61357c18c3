import type { User } from '@fleetops/protocol';
import { Uuid } from '@fleetops/protocol';
import type { FleetClient } from '@fleetops/sdk';
import { UsageError } from '../../errors';
import { notFoundAs } from '../../sdk-errors';

/** A user named by id or e-mail address; one that does not exist is one clear error line. */
export function resolveUser(fleet: FleetClient, idOrEmail: string): Promise<User> {
  if (!idOrEmail.includes('@') && !Uuid.safeParse(idOrEmail).success) {
    throw new UsageError(`"${idOrEmail}" is neither a user id (a UUID) nor an e-mail address`);
  }
  return fleet.users.resolve(idOrEmail).catch(notFoundAs(`user ${idOrEmail}`));
}
