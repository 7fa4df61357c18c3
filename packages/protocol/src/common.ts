import { z } from 'zod';

/** An RFC 3339 timestamp in UTC, as every timestamp on the wire is. */
export const Timestamp = z.iso.datetime({ offset: true }).meta({ description: 'RFC 3339 timestamp' });

export const Uuid = z.uuid();

/** An unpaired surrogate cannot be stored (PostgreSQL refuses it in text and jsonb). */
const WELL_FORMED = /^\P{Cs}*$/u;
const WELL_FORMED_MESSAGE = 'must be well-formed Unicode (no unpaired surrogate)';

/**
 * Text that ends up in front of an administrator (a terminal, a spreadsheet): no control
 * characters, which could rewrite a terminal or hide what is really there.
 */
export const PlainText = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .regex(/^[^\p{Cc}]*$/u, 'must not contain control characters')
    .regex(WELL_FORMED, WELL_FORMED_MESSAGE);

/** Like {@link PlainText}, but lines and tabs are allowed: a message or an error report. */
export const MultilineText = (max: number) =>
  z
    .string()
    .max(max)
    .regex(/^(?:[^\p{Cc}]|[\n\t])*$/u, 'must not contain control characters other than newlines and tabs')
    .regex(WELL_FORMED, WELL_FORMED_MESSAGE);

export const Label = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z0-9][a-z0-9._:/-]*$/, 'labels are lowercase letters, digits and . _ : / -');

export const GroupName = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9][A-Za-z0-9 ._/-]*$/, 'group names are letters, digits, spaces and . _ / -');

export const MAX_PAGE_SIZE = 1000;
export const DEFAULT_PAGE_SIZE = 100;

/** Query parameters every list endpoint accepts. */
export const PageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE),
  cursor: z.string().min(1).max(512).optional().describe('Opaque cursor from the previous page'),
});
export type PageQuery = z.infer<typeof PageQuery>;

/** One page of a list: `nextCursor` is null on the last page. */
export function Page<Item extends z.ZodType>(item: Item) {
  return z.object({
    data: z.array(item),
    nextCursor: z.string().nullable(),
  });
}
export interface PageOf<Item> {
  data: Item[];
  nextCursor: string | null;
}
