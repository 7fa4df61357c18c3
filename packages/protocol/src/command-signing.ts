import { createPublicKey, type KeyObject, sign, verify } from 'node:crypto';
import canonicalize from 'canonicalize';
import { z } from 'zod';

/** An org's command signing public key on the wire: base64 of the raw 32-byte Ed25519 key. */
export const CommandSigningKey = z
  .string()
  .regex(/^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$/, 'an Ed25519 public key is 32 bytes in base64');

/**
 * A device refuses a command whose `expiresAt` lies further in the past than this: device and
 * server clocks may disagree by a few minutes, and the server already stops delivering at expiry.
 */
export const COMMAND_EXPIRY_CLOCK_SKEW_SECONDS = 5 * 60;

/** The enrollment a command is meant for: the org, the device and which enrollment of it. */
export interface CommandRecipient {
  orgId: string;
  deviceId: string;
  /** 1 for the first enrollment of the hardware in the org, one more at each re-enrollment. */
  enrollmentGeneration: number;
}

/** The parts of a command its signature covers, besides the enrollment it is meant for. */
export interface SignableCommand {
  id: string;
  type: string;
  params: Record<string, unknown>;
  issuedAt: string;
  expiresAt: string;
}

/**
 * The bytes an org signs for one command to one enrollment: the RFC 8785 canonical JSON (UTF-8)
 * of `{ orgId, deviceId, enrollmentGeneration, id, type, params, issuedAt, expiresAt }`. Binding
 * the enrollment means a command replayed to another device, to a device of another org, or to
 * the same hardware after it was re-enrolled, does not verify.
 */
export function commandSigningPayload(recipient: CommandRecipient, command: SignableCommand): Buffer {
  const { orgId, deviceId, enrollmentGeneration } = recipient;
  const { id, type, params, issuedAt, expiresAt } = command;
  const text = canonicalize({ orgId, deviceId, enrollmentGeneration, id, type, params, issuedAt, expiresAt });
  if (text === undefined) throw new TypeError('a command must be representable as JSON');
  return Buffer.from(text, 'utf8');
}

/** Signs a command for one enrollment with the org's Ed25519 private key; base64. */
export function signCommand(
  privateKey: KeyObject,
  recipient: CommandRecipient,
  command: SignableCommand,
): string {
  return sign(null, commandSigningPayload(recipient, command), privateKey).toString('base64');
}

/**
 * Whether `command.signature` is the org's signature of this very command for this enrollment.
 * `publicKey` is the `commandSigningKey` of the enrollment answer; `recipient` is the device's
 * own org, id and generation, from that answer. Never throws: a malformed key or signature does
 * not verify.
 */
export function verifyCommandSignature(
  publicKey: string,
  recipient: CommandRecipient,
  command: SignableCommand & { signature: string },
): boolean {
  try {
    const signature = Buffer.from(command.signature, 'base64');
    if (signature.length !== 64) return false;
    const payload = commandSigningPayload(recipient, command);
    return verify(null, payload, importCommandSigningKey(publicKey), signature);
  } catch {
    return false;
  }
}

/** The wire form of an Ed25519 public key: base64 of its raw 32 bytes. */
export function exportCommandSigningKey(publicKey: KeyObject): string {
  const { x } = publicKey.export({ format: 'jwk' });
  if (publicKey.asymmetricKeyType !== 'ed25519' || !x) throw new TypeError('not an Ed25519 public key');
  return Buffer.from(x, 'base64url').toString('base64');
}

/** Reads a key in its wire form (see {@link exportCommandSigningKey}); throws when it is not one. */
export function importCommandSigningKey(text: string): KeyObject {
  const raw = Buffer.from(CommandSigningKey.parse(text), 'base64');
  return createPublicKey({
    key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') },
    format: 'jwk',
  });
}
