import { columnAt, SelectorError } from './selector-error';

/** One token of a selector. */
export interface SelectorToken {
  kind: 'word' | 'string' | 'operator' | '(' | ')' | ',' | 'invalid' | 'end';
  /** Strings: the text between the quotes, unescaped; every other token: as written. */
  value: string;
  /** Where the token starts in the selector (UTF-16 offset). */
  index: number;
  /** For an invalid token that is a known habit from other languages: what to write instead. */
  insteadWrite?: string;
}

const WHITESPACE = /\s+/y;
/** Bare words: field names, keywords and unquoted values (sales, 14.1.2, 14d, 2026-01-01T10:00:00Z). */
const WORD = /[\p{L}\p{N}._:/@+-]+/uy;
/** Spellings from other languages, recognised so the error can say what to write instead. */
const HABITS: readonly [RegExp, string][] = [
  [/==/y, '='],
  [/<>/y, '!='],
];
const OPERATOR = /!=|<=|>=|=|<|>/y;
const LATE_HABITS: readonly [RegExp, string][] = [
  [/&&?/y, 'and'],
  [/\|\|?/y, 'or'],
  [/!/y, 'not'],
];
const PUNCTUATION = new Set(['(', ')', ',']);

/**
 * Splits a selector into tokens on demand, so that the parser reports the first mistake in
 * reading order. Only a broken string is an error here; any other unknown character becomes an
 * `invalid` token for the parser to report with what it expected.
 */
export class SelectorLexer {
  private index = 0;

  constructor(private readonly text: string) {}

  next(): SelectorToken {
    this.match(WHITESPACE);
    const index = this.index;
    if (index >= this.text.length) return { kind: 'end', value: '', index };
    const char = this.text[index]!;
    if (char === '"') return this.string();
    if (PUNCTUATION.has(char)) {
      this.index += 1;
      return { kind: char as '(' | ')' | ',', value: char, index };
    }
    for (const [pattern, insteadWrite] of HABITS) {
      const habit = this.match(pattern);
      if (habit) return { kind: 'invalid', value: habit, index, insteadWrite };
    }
    const operator = this.match(OPERATOR);
    if (operator) return { kind: 'operator', value: operator, index };
    for (const [pattern, insteadWrite] of LATE_HABITS) {
      const habit = this.match(pattern);
      if (habit) return { kind: 'invalid', value: habit, index, insteadWrite };
    }
    const word = this.match(WORD);
    if (word) return { kind: 'word', value: word, index };
    const unknown = String.fromCodePoint(this.text.codePointAt(index)!);
    this.index += unknown.length;
    return { kind: 'invalid', value: unknown, index };
  }

  private match(pattern: RegExp): string | undefined {
    pattern.lastIndex = this.index;
    const match = pattern.exec(this.text);
    if (!match) return undefined;
    this.index = pattern.lastIndex;
    return match[0];
  }

  /** A double-quoted string; `\"` and `\\` are its only escapes. */
  private string(): SelectorToken {
    const start = this.index;
    let value = '';
    let i = start + 1;
    while (i < this.text.length) {
      const char = this.text[i]!;
      if (char === '"') {
        this.index = i + 1;
        return { kind: 'string', value, index: start };
      }
      if (char === '\\') {
        const escaped = this.text[i + 1];
        if (escaped === undefined) break;
        if (escaped !== '"' && escaped !== '\\') {
          const shown = JSON.stringify(escaped).slice(1, -1);
          throw new SelectorError(
            `selector error at column ${columnAt(this.text, i)}: unknown escape '\\${shown}' in a string (write \\" for a quote, \\\\ for a backslash)`,
            columnAt(this.text, i),
            ['\\"', '\\\\'],
          );
        }
        value += escaped;
        i += 2;
      } else {
        value += char;
        i += 1;
      }
    }
    const column = columnAt(this.text, this.text.length);
    throw new SelectorError(
      `selector error at column ${column}: expected '"' to close the string opened at column ${columnAt(this.text, start)}, found end of input`,
      column,
      ['"'],
    );
  }
}
