import { z } from 'zod';

export const ErrorCode = z.enum([
  'bad_request',
  'validation_failed',
  'unauthorized',
  'forbidden',
  'not_found',
  'conflict',
  'payload_too_large',
  'unsupported_media_type',
  'rate_limited',
  'guard_refused',
  'enrollment_token_invalid',
  'enrollment_token_expired',
  'enrollment_token_exhausted',
  'enrollment_token_revoked',
  'device_retired',
  'device_disabled',
  'internal',
  'unavailable',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

/** One field that failed validation, with its path in the request. */
export const FieldIssue = z.object({
  path: z.string().describe('Dotted path of the field, e.g. body.facts.model'),
  message: z.string(),
});
export type FieldIssue = z.infer<typeof FieldIssue>;

/** The one error shape of every non-2xx answer. */
export const ErrorBody = z
  .object({
    error: z.object({
      code: ErrorCode,
      message: z.string(),
      details: z
        .object({ issues: z.array(FieldIssue).optional() })
        .catchall(z.unknown())
        .optional(),
      requestId: z.string(),
    }),
  })
  .meta({ id: 'Error' });
export type ErrorBody = z.infer<typeof ErrorBody>;
