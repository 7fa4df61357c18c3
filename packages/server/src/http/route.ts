import type { RouteSpec } from '@fleetops/protocol';
import { ErrorBody } from '@fleetops/protocol';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { AdminPrincipal } from '../repositories/api-tokens';
import type { DevicePrincipal } from '../repositories/devices';
import type { Authenticators } from './auth';
import { authenticateAdmin, authenticateDevice } from './auth';

type Input<S extends RouteSpec, K extends 'params' | 'query' | 'body'> = S[K] extends z.ZodType
  ? z.output<S[K]>
  : undefined;

type Principal<S extends RouteSpec> = S['auth'] extends 'admin'
  ? { admin: AdminPrincipal }
  : S['auth'] extends 'device'
    ? { device: DevicePrincipal }
    : object;

/** What a handler receives: the validated request parts and who is calling. */
export type RouteContext<S extends RouteSpec> = {
  params: Input<S, 'params'>;
  query: Input<S, 'query'>;
  body: Input<S, 'body'>;
  request: FastifyRequest;
  reply: FastifyReply;
} & Principal<S>;

export interface RouteDefinition {
  spec: RouteSpec;
  handler: (ctx: never) => Promise<unknown>;
}

/** Pairs a route of the protocol with its handler, typed by the route's schemas. */
export function defineRoute<const S extends RouteSpec>(
  spec: S,
  handler: (ctx: RouteContext<S>) => Promise<z.input<S['response']>>,
): RouteDefinition {
  return { spec, handler: handler as RouteDefinition['handler'] };
}

const principals = new WeakMap<FastifyRequest, AdminPrincipal | DevicePrincipal>();

/** Registers each route with its schemas (validation, serialisation, OpenAPI) and its authentication. */
export function registerRoutes(app: FastifyInstance, auth: Authenticators, routes: RouteDefinition[]): void {
  for (const { spec, handler } of routes) {
    app.route({
      method: spec.method,
      url: spec.path,
      schema: {
        summary: spec.summary,
        tags: [spec.path.startsWith('/device/') ? 'device' : 'admin'],
        ...(spec.auth === 'none' ? {} : { security: [{ bearer: [] }] }),
        ...(spec.params && { params: spec.params }),
        ...(spec.query && { querystring: spec.query }),
        ...(spec.body && { body: spec.body }),
        response: { [spec.status]: spec.response, '4XX': ErrorBody, '5XX': ErrorBody },
      },
      // Authentication comes before parsing and validation: a caller without a valid
      // credential learns nothing about what the endpoint would accept.
      onRequest: async (request) => {
        if (spec.auth === 'admin') principals.set(request, await authenticateAdmin(auth, request, spec.role));
        if (spec.auth === 'device') principals.set(request, await authenticateDevice(auth, request));
      },
      handler: async (request, reply) => {
        const principal = principals.get(request);
        const result = await handler({
          params: request.params,
          query: request.query,
          body: request.body,
          request,
          reply,
          ...(spec.auth === 'admin' && { admin: principal }),
          ...(spec.auth === 'device' && { device: principal }),
        } as never);
        reply.code(spec.status);
        return result;
      },
    });
  }
}
