import { createHash } from 'node:crypto';

/**
 * The SHA-1 digest of the certificate that signs a catalogue app, upper-case hex as Android's
 * package manager reports it. Made up, but the same for the same package on every device and run.
 */
export function signingCertificateOf(packageId: string): string {
  return createHash('sha1').update(`fleetops simulator signer ${packageId}`).digest('hex').toUpperCase();
}
