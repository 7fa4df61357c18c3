import type { Role } from '@fleetops/protocol';
import { roleAllows } from '@fleetops/protocol';
import type { FastifyRequest } from 'fastify';
import { ApiError } from '../errors';
import type { AdminPrincipal } from '../repositories/api-tokens';
import type { DevicePrincipal } from '../repositories/devices';

export interface Authenticators {
  admin(secret: string): Promise<AdminPrincipal | undefined>;
  device(credential: string): Promise<DevicePrincipal | undefined>;
}

function bearer(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match) throw new ApiError('unauthorized', 'malformed Authorization header: expected "Bearer <token>"');
  return match[1];
}

export async function authenticateAdmin(
  auth: Authenticators,
  request: FastifyRequest,
  required: Role = 'admin',
): Promise<AdminPrincipal> {
  const secret = bearer(request);
  if (!secret) throw new ApiError('unauthorized', 'missing API token: send "Authorization: Bearer <token>"');
  const principal = await auth.admin(secret);
  if (!principal) throw new ApiError('unauthorized', 'invalid or revoked API token');
  if (!roleAllows(principal.token.role, required)) {
    throw new ApiError(
      'forbidden',
      `this needs the ${required} role; token "${principal.token.name}" has the ${principal.token.role} role`,
      { requiredRole: required, tokenRole: principal.token.role },
    );
  }
  request.log = request.log.child({ orgId: principal.org.id, tokenId: principal.token.id });
  return principal;
}

export async function authenticateDevice(
  auth: Authenticators,
  request: FastifyRequest,
): Promise<DevicePrincipal> {
  const credential = bearer(request);
  if (!credential)
    throw new ApiError(
      'unauthorized',
      'missing device credential: send "Authorization: Bearer <credential>"',
    );
  const device = await auth.device(credential);
  if (!device) throw new ApiError('unauthorized', 'unknown device credential');
  request.log = request.log.child({ orgId: device.orgId, deviceId: device.id });
  return device;
}
