import { z } from 'zod';

/** An RFC 3339 timestamp in UTC, as every timestamp on the wire is. */
export const Timestamp = z.iso.datetime({ offset: true }).meta({ description: 'RFC 3339 timestamp' });

export const Uuid = z.uuid();

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
