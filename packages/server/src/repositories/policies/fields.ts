import { createHash } from 'node:crypto';
import type { FieldChange } from '@fleetops/protocol';
import canonicalize from 'canonicalize';

/** SHA-256 hex of the canonical JSON (RFC 8785) of `value`: equal content, equal hash, whatever the key order. */
export function contentHash(value: unknown): string {
  return createHash('sha256').update(canonicalize(value)!).digest('hex');
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Every leaf of `value` by its dotted path; arrays are leaves, compared whole. */
export function flatten(
  value: unknown,
  prefix = '',
  into = new Map<string, unknown>(),
): Map<string, unknown> {
  if (!isPlainObject(value)) {
    if (prefix) into.set(prefix, value);
    return into;
  }
  for (const [key, child] of Object.entries(value)) {
    if (child !== undefined) flatten(child, prefix ? `${prefix}.${key}` : key, into);
  }
  return into;
}

/** The leaves that differ from `before` to `after`, in path order; `from`/`to` absent where a side lacks the field. */
export function diffFields(before: unknown, after: unknown): FieldChange[] {
  const from = flatten(before);
  const to = flatten(after);
  const paths = [...new Set([...from.keys(), ...to.keys()])].sort();
  const changes: FieldChange[] = [];
  for (const path of paths) {
    const a = from.get(path);
    const b = to.get(path);
    if (canonicalize(a) === canonicalize(b)) continue;
    changes.push({ path, ...(from.has(path) && { from: a }), ...(to.has(path) && { to: b }) });
  }
  return changes;
}
