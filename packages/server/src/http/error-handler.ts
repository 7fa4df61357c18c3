import type { ErrorBody, FieldIssue } from '@fleetops/protocol';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { ApiError } from '../errors';

/** Maps what Fastify itself rejects to our error codes, with a message a person can act on. */
function fromFastify(error: FastifyError): ApiError | undefined {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new ApiError(
        'payload_too_large',
        `request body is too large (limit ${error.message.match(/\d+/)?.[0] ?? '?'} bytes)`,
      );
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new ApiError('unsupported_media_type', 'unsupported Content-Type: send application/json');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new ApiError('bad_request', 'empty JSON body: send a JSON object');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new ApiError('bad_request', `malformed JSON body: ${error.message}`);
  }
  if (error instanceof SyntaxError || (error as { type?: string }).type === 'entity.parse.failed') {
    return new ApiError('bad_request', `malformed JSON body: ${error.message}`);
  }
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
    return new ApiError('bad_request', error.message);
  }
  return undefined;
}

function fromValidation(error: FastifyError): ApiError | undefined {
  if (!hasZodFastifySchemaValidationErrors(error)) return undefined;
  const where = error.validationContext === 'querystring' ? 'query' : (error.validationContext ?? 'request');
  const issues: FieldIssue[] = error.validation.map((v) => {
    const path = v.instancePath.split('/').filter(Boolean).join('.');
    return { path: path ? `${where}.${path}` : where, message: v.message ?? 'invalid' };
  });
  const first = issues[0];
  const summary = first ? `invalid ${first.path}: ${first.message}` : `invalid ${where}`;
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
  return new ApiError('validation_failed', summary + more, { issues });
}

export function sendError(request: FastifyRequest, reply: FastifyReply, error: ApiError) {
  const body: ErrorBody = {
    error: {
      code: error.code,
      message: error.message,
      ...(error.details && { details: error.details }),
      requestId: String(request.id),
    },
  };
  if (error.retryable) reply.header('x-should-retry', 'true');
  // A 429 clients would retry by default, unless it is one waiting will not soon cure (a budget).
  else if (error.status === 429) reply.header('x-should-retry', 'false');
  const retryAfter = error.details?.retryAfterSeconds;
  if (typeof retryAfter === 'number') reply.header('retry-after', String(retryAfter));
  return reply.code(error.status).send(body);
}

/** One error handler: every failure leaves as the one error shape; 5xx details stay in the log. */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const apiError = error instanceof ApiError ? error : (fromValidation(error) ?? fromFastify(error));
    if (apiError) {
      if (apiError.status >= 500) request.log.error({ err: error }, apiError.message);
      return sendError(request, reply, apiError);
    }
    request.log.error({ err: error }, 'request failed');
    return sendError(
      request,
      reply,
      new ApiError('internal', `internal error: see the server log for request ${request.id}`),
    );
  });

  app.setNotFoundHandler((request, reply) =>
    sendError(
      request,
      reply,
      new ApiError('not_found', `no such endpoint: ${request.method} ${request.url.split('?')[0]}`),
    ),
  );
}
