import { AUDIT_CATEGORIES, DeviceEventInput, type UploadEventsReport } from '@fleetops/protocol';
import type { z } from 'zod';

export type ValidEvent = z.output<typeof DeviceEventInput>;
type Rejected = UploadEventsReport['rejected'][number];

const isKnownCategory = (name: string) => (AUDIT_CATEGORIES as readonly string[]).includes(name);

/** Why one uploaded item is refused, as one line: its category, or its first issue with its path. */
function rejection(index: number, item: unknown, issue: z.core.$ZodIssue): Rejected {
  const fields = typeof item === 'object' && item !== null ? (item as Record<string, unknown>) : {};
  const eventId = typeof fields.eventId === 'string' ? fields.eventId : null;
  if (typeof fields.category === 'string' && !isKnownCategory(fields.category)) {
    return {
      index,
      eventId,
      code: 'unknown_category',
      message: `unknown category "${fields.category}": expected ${AUDIT_CATEGORIES.join(', ')}`,
    };
  }
  const path = issue.path.map(String).join('.');
  return {
    index,
    eventId,
    code: 'invalid_event',
    message: path ? `${path}: ${issue.message}` : issue.message,
  };
}

/** Checks each item of a batch on its own: the valid ones go on, the others are reported by index. */
export function validateBatch(items: readonly unknown[]): { valid: ValidEvent[]; rejected: Rejected[] } {
  const valid: ValidEvent[] = [];
  const rejected: Rejected[] = [];
  items.forEach((item, index) => {
    const parsed = DeviceEventInput.safeParse(item);
    if (parsed.success) valid.push(parsed.data);
    else rejected.push(rejection(index, item, parsed.error.issues[0]!));
  });
  return { valid, rejected };
}
