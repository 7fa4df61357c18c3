import { ImportUsersRequest } from '@fleetops/protocol';
import { z } from 'zod';

const ImportRow = ImportUsersRequest.shape.users.element;

/** The line of the imported file a row gives, if any. */
function lineOf(raw: unknown): number | undefined {
  const line = (raw as { line?: unknown } | null)?.line;
  return Number.isInteger(line) && (line as number) > 0 ? (line as number) : undefined;
}

/**
 * The import request as the protocol defines it, with every issue of a row that gives its line
 * starting "line N: ", and an e-mail given twice named with both rows, so that a person can fix
 * the file in one pass. Paths stay those of the request (users.3.email). Any issue rejects the
 * whole import.
 */
export const ImportUsersBody = z.preprocess((input, ctx) => {
  const rows = (input as { users?: unknown } | null)?.users;
  if (!Array.isArray(rows)) return input;
  const firstSeen = new Map<string, string>();
  rows.forEach((raw, index) => {
    const line = lineOf(raw);
    const at = line === undefined ? '' : `line ${line}: `;
    const parsed = ImportRow.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        ctx.addIssue({ code: 'custom', path: ['users', index, ...issue.path], message: at + issue.message });
      }
      return;
    }
    const email = parsed.data.email.toLowerCase();
    const first = firstSeen.get(email);
    if (first === undefined) firstSeen.set(email, line === undefined ? `users.${index}` : `line ${line}`);
    else {
      ctx.addIssue({
        code: 'custom',
        path: ['users', index, 'email'],
        message: `${at}${parsed.data.email} is also on ${first}: give each user once`,
      });
    }
  });
  return input;
}, ImportUsersRequest);
