import { Uuid } from '@fleetops/protocol';
import { UsageError } from '../errors';

/** Checks that `id` is a UUID before it goes to the server, naming it when it is not. */
export function requireId(id: string, what: string): string {
  if (!Uuid.safeParse(id).success) throw new UsageError(`"${id}" is not a ${what} id (expected a UUID)`);
  return id;
}
