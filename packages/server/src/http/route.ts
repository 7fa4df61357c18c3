import type { Readable } from 'node:stream';
import type { RouteSpec } from '@fleetops/protocol';
import { CLIENT_CONTEXT_HEADER, ErrorBody } from '@fleetops/protocol';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ApiError } from '../errors';
import type { ActivityRepository } from '../repositories/activity';
import type { AdminPrincipal } from '../repositories/api-tokens';
import type { DevicePrincipal } from '../repositories/devices';
import { fingerprint, type IdempotencyKeysRepository } from '../repositories/idempotency-keys';
import type { Db } from '../store/db';
import { activityAction, clientContext, isAudited, recordActivity } from './activity';
import type { Authenticators } from './auth';
import { authenticateAdmin, authenticateDevice } from './auth';
import type { RateLimiter } from './rate-limit';

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
  /** Reads what a mutating admin call is about to change: the "before" of its activity entry. */
  before?: (ctx: never) => Promise<unknown>;
  /** See {@link RouteOptions.ownTransactions}. */
  ownTransactions?: boolean;
}

export interface RouteOptions<S extends RouteSpec> {
  /** The state the call changes, as the route answers it (e.g. the device before a PATCH). */
  before?: (ctx: RouteContext<S>) => Promise<unknown>;
  /**
   * The handler commits its work as it goes (long batched work that must not hold its locks to
   * the end), outside the call's transaction; its activity entry is appended once it answered.
   */
  ownTransactions?: boolean;
}

/** What a handler answers: the response document, or for a streamed route a stream of its body. */
type Answer<S extends RouteSpec> = S extends { streamed: readonly string[] }
  ? Readable
  : z.input<S['response']>;

/** Pairs a route of the protocol with its handler, typed by the route's schemas. */
export function defineRoute<const S extends RouteSpec>(
  spec: S,
  handler: (ctx: RouteContext<S>) => Promise<Answer<S>>,
  options: RouteOptions<S> = {},
): RouteDefinition {
  return {
    spec,
    handler: handler as RouteDefinition['handler'],
    ...(options.before && { before: options.before as RouteDefinition['before'] }),
    ...(options.ownTransactions && { ownTransactions: true }),
  };
}

const principals = new WeakMap<FastifyRequest, AdminPrincipal | DevicePrincipal>();

/** What routes need besides their handlers. */
export interface RouteDependencies {
  auth: Authenticators;
  idempotencyKeys: IdempotencyKeysRepository;
  /** Limits each API token's request rate; none when absent. */
  rateLimit?: RateLimiter;
  /** The store whose transactions span a mutating admin call, and the log each such call appends to. */
  db: Db;
  activity: ActivityRepository;
}

/** Tells the caller its budget (RateLimit-* headers) and refuses it with 429 when spent. */
function limitRate(limiter: RateLimiter, admin: AdminPrincipal, reply: FastifyReply): void {
  const verdict = limiter.take(admin.token.id);
  reply.header('ratelimit-limit', String(verdict.limit));
  reply.header('ratelimit-remaining', String(verdict.remaining));
  reply.header('ratelimit-reset', String(verdict.resetSeconds));
  if (verdict.allowed) return;
  throw new ApiError(
    'rate_limited',
    `too many requests with this token (${limiter.perSecond}/s, bursts of ${limiter.burst}): slow down`,
    { retryAfterSeconds: verdict.retryAfterSeconds },
    true,
  );
}

/** Registers each route with its schemas (validation, serialisation, OpenAPI) and its authentication. */
export function registerRoutes(
  app: FastifyInstance,
  deps: RouteDependencies,
  routes: RouteDefinition[],
): void {
  for (const { spec, handler, before, ownTransactions } of routes) {
    const idempotent = spec.auth === 'admin' && spec.method !== 'GET';
    const action = isAudited(spec) ? activityAction(spec) : undefined;
    app.route({
      method: spec.method,
      url: spec.path,
      schema: {
        summary: spec.summary,
        tags: [spec.path.startsWith('/device/') ? 'device' : 'admin'],
        ...(spec.auth === 'none' ? {} : { security: [{ bearer: [] }] }),
        ...(idempotent && { headers: MutationHeaders }),
        ...(spec.params && { params: spec.params }),
        ...(spec.query && { querystring: spec.query }),
        ...(spec.body && { body: spec.body }),
        response: { [spec.status]: successSchema(spec), '4XX': ErrorBody, '5XX': ErrorBody },
      },
      // Authentication comes before parsing and validation: a caller without a valid
      // credential learns nothing about what the endpoint would accept.
      onRequest: async (request, reply) => {
        if (spec.auth === 'admin') {
          const admin = await authenticateAdmin(deps.auth, request, spec.role);
          principals.set(request, admin);
          if (deps.rateLimit) limitRate(deps.rateLimit, admin, reply);
        }
        if (spec.auth === 'device') principals.set(request, await authenticateDevice(deps.auth, request));
      },
      handler: async (request, reply) => {
        const principal = principals.get(request);
        // Read before the idempotency key is claimed: a bad header costs the caller no key.
        const context = action === undefined ? undefined : clientContext(request);
        const ctx = {
          params: request.params,
          query: request.query,
          body: request.body,
          request,
          reply,
          ...(spec.auth === 'admin' && { admin: principal }),
          ...(spec.auth === 'device' && { device: principal }),
        } as never;
        const call = () => handler(ctx);
        const run = async () => {
          const result =
            action === undefined || context === undefined
              ? await call()
              : await recordActivity(
                  deps,
                  {
                    spec,
                    action,
                    admin: principal as AdminPrincipal,
                    request,
                    context,
                    params: request.params,
                    ...(before && { before: () => before(ctx) }),
                    ...(ownTransactions && { ownTransactions }),
                  },
                  call,
                );
          return { status: spec.status, body: result };
        };
        const key = request.headers['idempotency-key'];
        const answer =
          idempotent && typeof key === 'string'
            ? await once(deps.idempotencyKeys, spec, principal as AdminPrincipal, key, request, run)
            : await run();
        reply.code(answer.status);
        return answer.body;
      },
    });
  }
}

/**
 * The success answer's schema. A streamed answer is listed per media type for the OpenAPI document
 * only: its handler sets the content type and returns a stream, which Fastify sends unserialised.
 */
function successSchema(spec: RouteSpec) {
  if (!spec.streamed) return spec.response;
  return {
    description: spec.summary,
    content: Object.fromEntries(spec.streamed.map((type) => [type, { schema: spec.response }])),
  };
}

const MutationHeaders = z.object({
  'idempotency-key': z
    .string()
    .min(1)
    .max(255)
    .optional()
    .describe('Retries with the same key get the first answer instead of acting twice'),
  [CLIENT_CONTEXT_HEADER]: z
    .string()
    .optional()
    .describe(
      'ClientContext JSON kept in the activity log entry of this change, e.g. {"gitCommit":"4f2a9c1"}',
    ),
});

/**
 * Runs a mutating request at most once per idempotency key; a retry gets the stored answer.
 * An answer that carries a secret is not stored: its retry is told what was created instead.
 */
async function once(
  keys: IdempotencyKeysRepository,
  spec: RouteSpec,
  principal: AdminPrincipal,
  key: string,
  request: FastifyRequest,
  run: () => Promise<{ status: number; body: unknown }>,
): Promise<{ status: number; body: unknown }> {
  const orgId = principal.org.id;
  const requestHash = fingerprint(principal.token.id, request.method, request.url, request.body);
  const claim = await keys.claim(orgId, key, requestHash);
  if (claim.kind === 'replay') {
    if (!spec.secretInResponse) return { status: claim.status, body: claim.body };
    const { id } = claim.body as { id: string };
    throw new ApiError(
      'conflict',
      `this request already created ${id}; its secret was shown once and is not kept: revoke it and create another`,
      { id },
    );
  }
  if (claim.kind === 'mismatch') {
    throw new ApiError(
      'conflict',
      'this Idempotency-Key was already used for a different request: use a new key',
    );
  }
  if (claim.kind === 'in-progress') {
    throw new ApiError(
      'conflict',
      'a request with this Idempotency-Key is still in progress: retry shortly',
      undefined,
      true,
    );
  }
  let answer: { status: number; body: unknown };
  try {
    answer = await run();
  } catch (error) {
    await keys.release(orgId, key);
    throw error;
  }
  const stored = spec.secretInResponse ? { id: (answer.body as { id: string }).id } : answer.body;
  // The work is done: failing to remember the answer must not fail the request. The claim
  // then lapses after its lease, and a later retry runs again.
  await keys
    .complete(orgId, key, answer.status, stored)
    .catch((err) => request.log.error({ err }, 'idempotency key not saved'));
  return answer;
}
