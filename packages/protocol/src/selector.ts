import {
  columnAt,
  described,
  type Expectation,
  listOf,
  literal,
  SelectorError,
  showExpectation,
  showSymbol,
  showText,
} from './selector-error';
import {
  type ComparisonOperator,
  isSelectorField,
  OPERATORS_BY_TYPE,
  readValue,
  SELECTOR_FIELDS,
  type SelectorFieldName,
  type SelectorOperator,
  type SelectorValue,
} from './selector-fields';
import { SelectorLexer, type SelectorToken } from './selector-lexer';

export { SelectorError, SelectorErrorDetails } from './selector-error';
export {
  type ComparisonOperator,
  SELECTOR_FIELDS,
  type SelectorFieldName,
  type SelectorFieldSpec,
  type SelectorFieldType,
  type SelectorOperator,
  type SelectorValue,
} from './selector-fields';
export { selectorReference } from './selector-reference';

/**
 * A parsed device selector. `a != b` and `a not in (…)` are the exact negations of `a = b` and
 * `a in (…)`; a bare boolean field `locked` is `locked = true`.
 */
export type Selector =
  | { kind: 'or'; operands: Selector[] }
  | { kind: 'and'; operands: Selector[] }
  | { kind: 'not'; operand: Selector }
  | { kind: 'compare'; field: SelectorFieldName; op: ComparisonOperator; value: SelectorValue }
  | { kind: 'in'; field: SelectorFieldName; negated: boolean; values: SelectorValue[] };

/** Parentheses and `not` nest at most this deep: deeper is a generated selector gone wrong. */
export const MAX_SELECTOR_DEPTH = 32;

const KEYWORDS = new Set(['and', 'or', 'not', 'in']);
const FIELD_NAMES = Object.keys(SELECTOR_FIELDS) as SelectorFieldName[];

/**
 * Parses a device selector such as `group = sales and lastSeen > 14d`.
 * Precedence: `not` binds tighter than `and`, which binds tighter than `or`. Keywords are
 * case-insensitive; field names are not.
 * @throws SelectorError at the first mistake, with its column and what was expected there.
 */
export function parseSelector(text: string): Selector {
  return new Parser(text).parse();
}

/** Every field a selector tests. */
export function selectorFields(selector: Selector): Set<SelectorFieldName> {
  switch (selector.kind) {
    case 'or':
    case 'and':
      return new Set(selector.operands.flatMap((operand) => [...selectorFields(operand)]));
    case 'not':
      return selectorFields(selector.operand);
    case 'compare':
    case 'in':
      return new Set([selector.field]);
  }
}

const isKeyword = (token: SelectorToken) => token.kind === 'word' && KEYWORDS.has(token.value.toLowerCase());

/** A token as an error message shows it. */
function showToken(token: SelectorToken): string {
  if (token.kind === 'end') return 'end of input';
  if (isKeyword(token)) return `'${token.value}'`;
  if (token.kind === 'word' || token.kind === 'string') return showText(token.value);
  return showSymbol(token.value);
}

/** Recursive descent over `or := and ('or' and)*`, `and := unary ('and' unary)*`, `unary := 'not' unary | '(' or ')' | predicate`. */
class Parser {
  private readonly lexer: SelectorLexer;
  private token: SelectorToken;
  private previous: SelectorToken | undefined;
  private depth = 0;

  constructor(private readonly text: string) {
    this.lexer = new SelectorLexer(text);
    this.token = this.lexer.next();
  }

  parse(): Selector {
    const selector = this.parseOr();
    if (!this.at('end')) this.fail([literal('and'), literal('or'), described('end of input')]);
    return selector;
  }

  private parseOr(): Selector {
    const operands = [this.parseAnd()];
    while (this.atKeyword('or')) {
      this.advance();
      operands.push(this.parseAnd());
    }
    return operands.length === 1 ? operands[0]! : { kind: 'or', operands };
  }

  private parseAnd(): Selector {
    const operands = [this.parseUnary()];
    while (this.atKeyword('and')) {
      this.advance();
      operands.push(this.parseUnary());
    }
    return operands.length === 1 ? operands[0]! : { kind: 'and', operands };
  }

  private parseUnary(): Selector {
    if (this.atKeyword('not')) {
      return this.nested(this.advance(), () => ({ kind: 'not', operand: this.parseUnary() }));
    }
    if (this.at('(')) {
      return this.nested(this.advance(), () => {
        const inner = this.parseOr();
        if (!this.at(')')) this.fail([literal('and'), literal('or'), literal(')')]);
        this.advance();
        return inner;
      });
    }
    if (this.token.kind === 'word' && !isKeyword(this.token)) return this.parsePredicate();
    return this.fail([described('a field'), literal('not'), literal('(')]);
  }

  private parsePredicate(): Selector {
    const fieldToken = this.advance();
    const field = fieldToken.value;
    if (!isSelectorField(field)) throw this.unknownField(fieldToken);
    const operator = this.token;
    if (operator.kind === 'operator') {
      const op = this.advance().value as ComparisonOperator;
      this.checkOperator(field, op, operator);
      return { kind: 'compare', field, op, value: this.parseValue(field) };
    }
    if (this.atKeyword('in') || this.atKeyword('not')) {
      const negated = this.atKeyword('not');
      this.advance();
      if (negated) {
        if (!this.atKeyword('in')) this.fail([literal('in')]);
        this.advance();
      }
      this.checkOperator(field, negated ? 'not in' : 'in', operator);
      return { kind: 'in', field, negated, values: this.parseList(field) };
    }
    if (SELECTOR_FIELDS[field].type === 'boolean') {
      return { kind: 'compare', field, op: '=', value: { type: 'boolean', value: true } };
    }
    return this.fail(OPERATORS_BY_TYPE[SELECTOR_FIELDS[field].type].map(literal));
  }

  private parseList(field: SelectorFieldName): SelectorValue[] {
    if (!this.at('(')) this.fail([literal('(')]);
    this.advance();
    const values = [this.parseValue(field)];
    while (!this.at(')')) {
      if (!this.at(',')) this.fail([literal(','), literal(')')]);
      this.advance();
      values.push(this.parseValue(field));
    }
    this.advance();
    return values;
  }

  private parseValue(field: SelectorFieldName): SelectorValue {
    const token = this.token;
    if (token.kind !== 'string' && (token.kind !== 'word' || isKeyword(token))) {
      const spec = SELECTOR_FIELDS[field];
      const values = spec.type === 'enum' ? spec.values : spec.type === 'boolean' ? ['true', 'false'] : [];
      this.fail(values.length > 0 ? values.map(literal) : [described('a value')]);
    }
    this.advance();
    const read = readValue(field, token.value);
    if ('problem' in read) {
      const column = columnAt(this.text, token.index);
      throw new SelectorError(
        `${showText(token.value)} ${read.problem} at column ${column} (${read.hint})`,
        column,
        read.expected,
      );
    }
    return read;
  }

  private checkOperator(field: SelectorFieldName, op: SelectorOperator, at: SelectorToken): void {
    const allowed = OPERATORS_BY_TYPE[SELECTOR_FIELDS[field].type];
    if (allowed.includes(op)) return;
    const column = columnAt(this.text, at.index);
    throw new SelectorError(
      `'${op}' does not apply to ${field} at column ${column} (${field} takes ${listOf(allowed.map((o) => `'${o}'`))})`,
      column,
      allowed,
    );
  }

  private unknownField(token: SelectorToken): SelectorError {
    const column = columnAt(this.text, token.index);
    const suggestion = closestField(token.value);
    return new SelectorError(
      `unknown field ${showText(token.value)} at column ${column} (fields: ${FIELD_NAMES.join(', ')}${
        suggestion ? `; did you mean "${suggestion}"?` : ''
      })`,
      column,
      FIELD_NAMES,
    );
  }

  private nested(opening: SelectorToken, parse: () => Selector): Selector {
    this.depth += 1;
    if (this.depth > MAX_SELECTOR_DEPTH) {
      const column = columnAt(this.text, opening.index);
      throw new SelectorError(
        `selector error at column ${column}: nested too deeply (at most ${MAX_SELECTOR_DEPTH} levels of parentheses and 'not')`,
        column,
        [],
      );
    }
    const selector = parse();
    this.depth -= 1;
    return selector;
  }

  /** Not a type guard on purpose: `advance()` changes the token under the narrowing. */
  private at(kind: SelectorToken['kind']): boolean {
    return this.token.kind === kind;
  }

  private atKeyword(keyword: string): boolean {
    return this.token.kind === 'word' && this.token.value.toLowerCase() === keyword;
  }

  private advance(): SelectorToken {
    this.previous = this.token;
    this.token = this.lexer.next();
    return this.previous;
  }

  private fail(expected: Expectation[]): never {
    const column = columnAt(this.text, this.token.index);
    const after = this.previous ? ` after ${showToken(this.previous)}` : '';
    const instead = this.token.insteadWrite ? ` (write '${this.token.insteadWrite}')` : '';
    throw new SelectorError(
      `selector error at column ${column}: expected ${listOf(expected.map(showExpectation))}${after}, found ${showToken(this.token)}${instead}`,
      column,
      expected.map((e) => e.text),
    );
  }
}

/** The field a mistyped name most likely meant: other case, or one or two letters off. */
function closestField(name: string): SelectorFieldName | undefined {
  let best: { field: SelectorFieldName; distance: number } | undefined;
  for (const field of FIELD_NAMES) {
    const distance = editDistance(name.toLowerCase(), field.toLowerCase());
    if (distance <= 2 && distance < name.length && (!best || distance < best.distance)) {
      best = { field, distance };
    }
  }
  return best?.field;
}

/** Levenshtein distance. */
function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    row = next;
  }
  return row[b.length]!;
}
