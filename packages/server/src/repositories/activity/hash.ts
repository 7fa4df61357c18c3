import { createHash, type KeyObject, sign, verify } from 'node:crypto';
import type { ActivityCheckpoint, ActivityEntry } from '@fleetops/protocol';
import canonicalize from 'canonicalize';

/** The prevHash of an org's first entry. */
export const GENESIS_HASH = '0'.repeat(64);

/** What an entry's hash covers: the entry without its links, and its org. */
export type HashedFields = Omit<ActivityEntry, 'prevHash' | 'hash'> & { orgId: string };

/** What a checkpoint's signature covers. */
export type SignedFields = Omit<ActivityCheckpoint, 'signature'> & { orgId: string };

/** RFC 8785 canonical JSON. */
function canonical(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) throw new TypeError('an activity record must be representable as JSON');
  return text;
}

/** SHA-256 (hex) of the previous entry's hash followed by the canonical JSON of this entry. */
export function entryHash(prevHash: string, entry: HashedFields): string {
  const { orgId, seq, at, actor, ip, requestId, action, target, changes, context } = entry;
  const text = canonical({ orgId, seq, at, actor, ip, requestId, action, target, changes, context });
  return createHash('sha256')
    .update(prevHash + text, 'utf8')
    .digest('hex');
}

function checkpointPayload({ orgId, number, seq, hash, at }: SignedFields): Buffer {
  return Buffer.from(canonical({ orgId, number, seq, hash, at }), 'utf8');
}

/** The org's Ed25519 signature of a checkpoint; base64. */
export function signCheckpoint(privateKey: KeyObject, checkpoint: SignedFields): string {
  return sign(null, checkpointPayload(checkpoint), privateKey).toString('base64');
}

/** Whether `signature` is the org's signature of this checkpoint; never throws. */
export function checkpointSignatureValid(
  publicKey: KeyObject,
  checkpoint: SignedFields,
  signature: string,
): boolean {
  try {
    const bytes = Buffer.from(signature, 'base64');
    return bytes.length === 64 && verify(null, checkpointPayload(checkpoint), publicKey, bytes);
  } catch {
    return false;
  }
}
