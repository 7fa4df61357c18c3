import { randomBytes } from 'node:crypto';
import swagger from '@fastify/swagger';
import { policyJsonSchema } from '@fleetops/protocol';
import Fastify, { type FastifyServerOptions } from 'fastify';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
} from 'fastify-type-provider-zod';
import { installErrorHandling } from './http/error-handler';
import { RateLimiter } from './http/rate-limit';
import { registerRoutes } from './http/route';
import { activityRoutes } from './routes/admin/activity';
import { auditEventRoutes } from './routes/admin/audit-events';
import { commandRoutes } from './routes/admin/commands';
import { complianceRoutes } from './routes/admin/compliance';
import { deviceRoutes } from './routes/admin/devices';
import { enrollmentTokenRoutes } from './routes/admin/enrollment-tokens';
import { jobRoutes } from './routes/admin/jobs';
import { policyRoutes } from './routes/admin/policies';
import { rolloutRoutes } from './routes/admin/rollouts';
import { tokenRoutes } from './routes/admin/tokens';
import { userRoutes } from './routes/admin/users';
import { deviceApiRoutes } from './routes/device';
import { deviceEventRoutes } from './routes/device/events';
import type { Services } from './services';
import { SERVER_VERSION } from './version';

/** Large enough for a check-in listing a device's 2,000 apps. */
export const BODY_LIMIT_BYTES = 2 * 1024 * 1024;

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** How often commands past their expiry are marked expired. */
export const EXPIRY_SWEEP_MS = 30_000;

/** How often running rollouts are advanced (waves closed, released, halted or completed). */
export const ROLLOUT_TICK_MS = 2_000;

/** Requests per second each API token may make on average (bursts of twice that); 0 turns it off. */
export const DEFAULT_ADMIN_REQUESTS_PER_SECOND = 1000;

export interface AppOptions {
  services: Services;
  logger?: FastifyServerOptions['logger'];
  adminRequestsPerSecond?: number;
  /** How often running rollouts are advanced; 0 leaves it to explicit `rollouts.advance()` calls. */
  rolloutTickMs?: number;
}

/** The management server as a Fastify app: admin API, device API, OpenAPI and health. */
export async function buildApp({
  services,
  logger = false,
  adminRequestsPerSecond = DEFAULT_ADMIN_REQUESTS_PER_SECOND,
  rolloutTickMs = ROLLOUT_TICK_MS,
}: AppOptions) {
  const shutdown = new AbortController();
  const app = Fastify({
    logger,
    bodyLimit: BODY_LIMIT_BYTES,
    requestIdHeader: 'x-request-id',
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given)
        ? given
        : `req_${randomBytes(8).toString('hex')}`;
    },
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandling(app);
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  // Long-polls end at once on shutdown instead of holding the close for their full wait.
  app.addHook('preClose', async () => shutdown.abort());

  const sweep = async () => {
    await services.commands.expireDue();
    await services.idempotencyKeys.deleteExpired();
    const { started } = await services.jobs.sweep();
    await Promise.all(started.map((jobId) => services.notifier.notifyJob(jobId)));
    await services.events.runRetention();
    await services.activity.checkpointAll();
  };
  const sweeper = setInterval(() => {
    sweep().catch((err) => app.log.error({ err }, 'sweep failed'));
  }, EXPIRY_SWEEP_MS).unref();
  const rolloutTicker =
    rolloutTickMs > 0
      ? setInterval(() => {
          services.rollouts.advance().catch((err) => app.log.error({ err }, 'rollout advance failed'));
        }, rolloutTickMs).unref()
      : undefined;
  app.addHook('onClose', async () => {
    clearInterval(sweeper);
    clearInterval(rolloutTicker);
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'fleetops management server', version: SERVER_VERSION },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });

  await services.notifier.start();
  const auth = { admin: services.apiTokens.authenticate, device: services.devices.authenticate };
  const rateLimit = adminRequestsPerSecond > 0 ? new RateLimiter(adminRequestsPerSecond) : undefined;
  const routeDeps = {
    auth,
    idempotencyKeys: services.idempotencyKeys,
    rateLimit,
    db: services.db,
    activity: services.activity,
  };
  registerRoutes(app, routeDeps, [
    ...tokenRoutes(services),
    ...enrollmentTokenRoutes(services),
    ...deviceRoutes(services),
    ...commandRoutes(services),
    ...jobRoutes(services),
    ...policyRoutes(services),
    ...rolloutRoutes(services),
    ...activityRoutes(services),
    ...userRoutes(services),
    ...auditEventRoutes(services),
    ...complianceRoutes(services),
    ...deviceApiRoutes(services, shutdown.signal),
    ...deviceEventRoutes(services),
  ]);

  app.get('/v1/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  const policySchema = policyJsonSchema();
  app.get('/v1/policy-schema.json', { schema: { hide: true } }, async () => policySchema);
  app.get('/healthz', { schema: { hide: true } }, async () => {
    await services.db.query('SELECT 1');
    return { status: 'ok', version: SERVER_VERSION };
  });

  return app;
}
