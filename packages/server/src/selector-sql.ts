import {
  type ComparisonOperator,
  parseSelector,
  SELECTOR_FIELDS,
  type Selector,
  SelectorError,
  type SelectorErrorDetails,
  type SelectorFieldName,
  type SelectorFieldSpec,
  type SelectorValue,
} from '@fleetops/protocol';
import { ApiError } from './errors';

/** The leading dotted numbers of a version text, trailing `.0`s dropped, as a comparable array. */
const versionOf = (text: string) =>
  `string_to_array(regexp_replace(substring(${text} from '^[0-9]+(?:\\.[0-9]+)*'), '(\\.0+)+$', ''), '.')::numeric[]`;

/**
 * Where each selector field is in the `devices` table. A `nullable` expression is null for some
 * devices (no IMEI, an OS version that is not a number): such a device fails every test of it
 * and passes the negation of each.
 */
const COLUMNS: Record<SelectorFieldName, { sql: string; nullable?: boolean }> = {
  os: { sql: 'os' },
  osVersion: { sql: versionOf("facts ->> 'osVersion'"), nullable: true },
  model: { sql: 'model' },
  brand: { sql: "facts ->> 'brand'", nullable: true },
  serial: { sql: 'serial' },
  imei: { sql: 'imei', nullable: true },
  group: { sql: 'group_name' },
  label: { sql: 'labels' },
  mode: { sql: 'mode' },
  status: { sql: 'status' },
  locked: { sql: "(state ->> 'locked')::boolean", nullable: true },
  lastSeen: { sql: 'last_seen_at' },
  enrolledAt: { sql: 'enrolled_at' },
};

/** An age compares the other way round from the time it is measured from: older is earlier. */
const OLDER: Record<Exclude<ComparisonOperator, '=' | '!='>, string> = {
  '>': '<',
  '>=': '<=',
  '<': '>',
  '<=': '>=',
};

/**
 * Compiles a selector to a SQL boolean expression over the `devices` table, in parentheses.
 * Values go into `params` (appended, numbered after what is already there), never into the text.
 * Every test is true or false, never null, so `not` is always the exact complement.
 */
export function selectorSql(selector: Selector, params: unknown[]): string {
  const param = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };

  const equalsAny = (field: SelectorFieldName, values: SelectorValue[]): string => {
    const spec: SelectorFieldSpec = SELECTOR_FIELDS[field];
    const caseInsensitive = spec.type === 'text' && spec.caseInsensitive === true;
    const column = COLUMNS[field].sql;
    const each = (value: SelectorValue) => {
      switch (value.type) {
        case 'text':
          return caseInsensitive ? `lower(${param(value.value)})` : `${param(value.value)}::text`;
        case 'version':
          return `string_to_array(${param(value.value)}::text, '.')::numeric[]`;
        case 'boolean':
          return `${param(value.value)}::boolean`;
        default:
          throw new Error(`selector: ${field} cannot equal a ${value.type}`);
      }
    };
    const list = values.map(each).join(', ');
    if (spec.type === 'set') return `${column} && ARRAY[${list}]`;
    return `${caseInsensitive ? `lower(${column})` : column} IN (${list})`;
  };

  const ordered = (field: SelectorFieldName, op: ComparisonOperator, value: SelectorValue): string => {
    const column = COLUMNS[field].sql;
    if (op === '=' || op === '!=') throw new Error(`selector: ${op} is not an ordering`);
    switch (value.type) {
      case 'version':
        return `${column} ${op} string_to_array(${param(value.value)}::text, '.')::numeric[]`;
      case 'duration':
        return `${column} ${OLDER[op]} now() - make_interval(secs => ${param(value.seconds)}::double precision)`;
      case 'timestamp':
        return `${column} ${op} ${param(value.value)}::timestamptz`;
      case 'date': {
        // A day stands for all of it: `<= day` is before the next day starts, `> day` after it ends.
        const start = `${value.value}T00:00:00Z`;
        const end = new Date(Date.parse(start) + 86_400_000).toISOString();
        const bound = op === '<' || op === '>=' ? start : end;
        const sqlOp = op === '<=' ? '<' : op === '>' ? '>=' : op;
        return `${column} ${sqlOp} ${param(bound)}::timestamptz`;
      }
      default:
        throw new Error(`selector: ${field} cannot be ordered by a ${value.type}`);
    }
  };

  const twoValued = (field: SelectorFieldName, test: string) =>
    COLUMNS[field].nullable ? `coalesce(${test}, false)` : `(${test})`;

  const compile = (node: Selector): string => {
    switch (node.kind) {
      case 'or':
        return `(${node.operands.map(compile).join(' OR ')})`;
      case 'and':
        return `(${node.operands.map(compile).join(' AND ')})`;
      case 'not':
        return `(NOT ${compile(node.operand)})`;
      case 'in': {
        const test = twoValued(node.field, equalsAny(node.field, node.values));
        return node.negated ? `(NOT ${test})` : test;
      }
      case 'compare': {
        if (node.op === '=') return twoValued(node.field, equalsAny(node.field, [node.value]));
        if (node.op === '!=') return `(NOT ${twoValued(node.field, equalsAny(node.field, [node.value]))})`;
        return twoValued(node.field, ordered(node.field, node.op, node.value));
      }
    }
  };

  return compile(selector);
}

/** Parses the selector of a request; a mistake is a 400 that points at its column. */
export function parseWhere(text: string, path = 'query.where'): Selector {
  try {
    return parseSelector(text);
  } catch (error) {
    if (!(error instanceof SelectorError)) throw error;
    const details: SelectorErrorDetails = { column: error.column, expected: [...error.expected] };
    throw new ApiError('validation_failed', error.message, {
      issues: [{ path, message: error.message }],
      ...details,
    });
  }
}
