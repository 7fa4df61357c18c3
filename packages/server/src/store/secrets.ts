import { createHash, randomBytes } from 'node:crypto';

/** Kinds of secret, told apart by their prefix so a leaked one is easy to recognise. */
export const SECRET_PREFIX = {
  apiToken: 'fo_api_',
  enrollmentToken: 'fo_enr_',
  deviceCredential: 'fo_dev_',
} as const;

/** A new random secret (256 bits) with its kind's prefix. */
export function newSecret(prefix: string): string {
  return prefix + randomBytes(32).toString('base64url');
}

/** Secrets are stored only as this hash; the plain value is shown once. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** The part of a secret that may be shown again to recognise it. */
export function secretPrefix(secret: string): string {
  return secret.slice(0, 12);
}
