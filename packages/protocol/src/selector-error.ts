import { z } from 'zod';

/** A mistake in a selector, located at a column of its text. */
export class SelectorError extends Error {
  override readonly name = 'SelectorError';

  constructor(
    message: string,
    /** 1-based, counted in characters from the start of the selector. */
    readonly column: number,
    /** What would have been valid there: literal tokens as typed (`and`, `)`) or descriptions (`a value`). */
    readonly expected: readonly string[],
  ) {
    super(message);
  }
}

/** The `details` the server adds to a `validation_failed` error about a selector. */
export const SelectorErrorDetails = z.object({
  column: z.number().int().min(1),
  expected: z.array(z.string()),
});
export type SelectorErrorDetails = z.infer<typeof SelectorErrorDetails>;

/** Something the parser was looking for: literal text to type, or a description of it. */
export interface Expectation {
  text: string;
  literal: boolean;
}

export const literal = (text: string): Expectation => ({ text, literal: true });
export const described = (text: string): Expectation => ({ text, literal: false });

/** `a`, `a or b`, `a, b or c`. */
export function listOf(items: readonly string[], conjunction = 'or'): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${conjunction} ${items[items.length - 1]}`;
}

/** Quotes an expectation as a message shows it: literal tokens in single quotes. */
export const showExpectation = (e: Expectation) => (e.literal ? `'${e.text}'` : e.text);

const MAX_SHOWN = 40;

/** Text from the selector as a message shows it: double-quoted, escaped, clipped. */
export function showText(text: string): string {
  const chars = Array.from(text);
  return JSON.stringify(chars.length > MAX_SHOWN ? `${chars.slice(0, MAX_SHOWN).join('')}…` : text);
}

/** A symbol from the selector as a message shows it: single-quoted, escaped. */
export const showSymbol = (text: string) => `'${JSON.stringify(text).slice(1, -1)}'`;

/** The 1-based column of `index` (a UTF-16 offset), counting characters as a person sees them. */
export const columnAt = (text: string, index: number) => Array.from(text.slice(0, index)).length + 1;
