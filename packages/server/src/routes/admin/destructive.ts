import { type CommandType, DESTRUCTIVE_COMMANDS, roleAllows } from '@fleetops/protocol';
import { ApiError } from '../../errors';
import type { AdminPrincipal } from '../../repositories/api-tokens';

/** Wipe and retire need an admin token, whatever role sending other commands needs. */
export function requireRoleFor(admin: AdminPrincipal, type: CommandType): void {
  if (!(DESTRUCTIVE_COMMANDS as readonly CommandType[]).includes(type)) return;
  if (roleAllows(admin.token.role, 'admin')) return;
  throw new ApiError('forbidden', `${type} needs an admin token (this one is ${admin.token.role})`, {
    requiredRole: 'admin',
    tokenRole: admin.token.role,
  });
}
