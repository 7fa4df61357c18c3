import { ClientContext } from '@fleetops/protocol';
import { FleetError } from '../core/errors';

/** The caller's context, checked before anything is sent; `FleetError` names the entry to fix. */
export function validContext(context: unknown): ClientContext | undefined {
  if (context === undefined) return undefined;
  const parsed = ClientContext.safeParse(context);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const where = issue.path.length ? `context.${issue.path.join('.')}` : 'context';
  // A bad key is reported as "Invalid key in record"; the key's own rule says what to fix.
  const message = issue.code === 'invalid_key' ? (issue.issues[0]?.message ?? issue.message) : issue.message;
  throw new FleetError(`${where}: ${message}`);
}

/**
 * The `fleetops-context` header value: the context as JSON. Characters beyond ASCII are written
 * as `\uXXXX` escapes, because a header value is sent as bytes of Latin-1 and `fetch` refuses
 * others; the JSON stays the same once parsed.
 */
export function contextHeader(context: ClientContext): string {
  return JSON.stringify(context).replace(
    /[\u007f-\uffff]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
