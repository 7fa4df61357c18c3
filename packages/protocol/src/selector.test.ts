import { describe, expect, it } from 'vitest';
import { parseSelector, type Selector, SelectorError, selectorFields } from './selector';

const is = (field: string, value: string): Selector =>
  ({ kind: 'compare', field, op: '=', value: { type: 'text', value } }) as Selector;
const locked: Selector = {
  kind: 'compare',
  field: 'locked',
  op: '=',
  value: { type: 'boolean', value: true },
};

describe('parseSelector', () => {
  it('binds not tighter than and, and and tighter than or', () => {
    expect(parseSelector('os = ios or group = sales and not locked')).toEqual({
      kind: 'or',
      operands: [
        is('os', 'ios'),
        { kind: 'and', operands: [is('group', 'sales'), { kind: 'not', operand: locked }] },
      ],
    });
    expect(parseSelector('not locked and os = ios')).toEqual({
      kind: 'and',
      operands: [{ kind: 'not', operand: locked }, is('os', 'ios')],
    });
  });

  it('lets parentheses override precedence', () => {
    expect(parseSelector('(os = ios or group = sales) and not (locked or mode = BYOD)')).toEqual({
      kind: 'and',
      operands: [
        { kind: 'or', operands: [is('os', 'ios'), is('group', 'sales')] },
        { kind: 'not', operand: { kind: 'or', operands: [locked, is('mode', 'BYOD')] } },
      ],
    });
  });

  it('needs no spaces around operators and reads keywords in any case', () => {
    expect(parseSelector('group=sales AND lastSeen>14d')).toEqual(
      parseSelector('group = sales and lastSeen > 14d'),
    );
    expect(parseSelector('label IN(lost,stolen) Or NOT locked')).toEqual(
      parseSelector('label in (lost, stolen) or not locked'),
    );
  });

  it('reads quoted strings with escaped quotes and backslashes, and quoted keywords as values', () => {
    expect(parseSelector('model = "Galaxy \\"S23\\" \\\\ Ultra"')).toEqual(
      is('model', 'Galaxy "S23" \\ Ultra'),
    );
    expect(parseSelector('serial = "and"')).toEqual(is('serial', 'and'));
    expect(parseSelector('model = "日本 (5G)"')).toEqual(is('model', '日本 (5G)'));
  });

  it('reads in and not in lists', () => {
    expect(parseSelector('label not in (lost, stolen)')).toEqual({
      kind: 'in',
      field: 'label',
      negated: true,
      values: [
        { type: 'text', value: 'lost' },
        { type: 'text', value: 'stolen' },
      ],
    });
    expect(parseSelector('os in (Android)')).toEqual({
      kind: 'in',
      field: 'os',
      negated: false,
      values: [{ type: 'text', value: 'android' }],
    });
  });

  it('types each value by its field', () => {
    const typedValue = (text: string) => (parseSelector(text) as { value: unknown }).value;
    expect(typedValue('os = Android')).toEqual({ type: 'text', value: 'android' });
    expect(typedValue('mode != byod')).toEqual({ type: 'text', value: 'BYOD' });
    expect(typedValue('osVersion >= 14.1.2')).toEqual({ type: 'version', value: '14.1.2' });
    expect(typedValue('osVersion = 013.0.0')).toEqual({ type: 'version', value: '13' });
    expect(typedValue('osVersion < 10.0.1')).toEqual({ type: 'version', value: '10.0.1' });
    expect(typedValue('lastSeen > 90s')).toEqual({ type: 'duration', seconds: 90 });
    expect(typedValue('lastSeen > 2w')).toEqual({ type: 'duration', seconds: 14 * 86_400 });
    expect(typedValue('enrolledAt < 2026-01-01')).toEqual({ type: 'date', value: '2026-01-01' });
    expect(typedValue('enrolledAt >= 2026-01-01T10:00:00+02:00')).toEqual({
      type: 'timestamp',
      value: '2026-01-01T08:00:00.000Z',
    });
    expect(typedValue('locked = FALSE')).toEqual({ type: 'boolean', value: false });
    expect(typedValue('imei = 356938035643809')).toEqual({ type: 'text', value: '356938035643809' });
  });

  it('reads the examples of the documentation', () => {
    for (const text of [
      'group = sales and lastSeen > 14d',
      'os = android and osVersion < 13',
      'label in (lost, stolen) or not locked',
      'model = "Galaxy S23" and mode != BYOD',
      'enrolledAt < 2026-01-01',
      'serial = R58T123',
      'status = retired',
    ]) {
      expect(() => parseSelector(text), text).not.toThrow();
    }
  });

  it('nests up to 32 levels of parentheses and not', () => {
    expect(() => parseSelector(`${'('.repeat(32)}locked${')'.repeat(32)}`)).not.toThrow();
    expect(() => parseSelector(`${'not '.repeat(32)}locked`)).not.toThrow();
  });
});

describe('selector errors', () => {
  const FIELDS =
    'fields: os, osVersion, model, brand, serial, imei, group, label, mode, status, locked, lastSeen, enrolledAt';
  const cases: [string, number, string][] = [
    ['', 1, "selector error at column 1: expected a field, 'not' or '(', found end of input"],
    ['   ', 4, "selector error at column 4: expected a field, 'not' or '(', found end of input"],
    ['lastSeen >', 11, "selector error at column 11: expected a value after '>', found end of input"],
    ['grup = sales', 1, `unknown field "grup" at column 1 (${FIELDS}; did you mean "group"?)`],
    ['os = ios and OS = ios', 14, `unknown field "OS" at column 14 (${FIELDS}; did you mean "os"?)`],
    ['owner = ann', 1, `unknown field "owner" at column 1 (${FIELDS})`],
    [
      'group = x and lastSeen > soon',
      26,
      '"soon" is not a duration or a date at column 26 (e.g. 14d, 12h, 2026-01-01, 2026-01-01T09:00:00Z)',
    ],
    [
      'enrolledAt < 2026-02-30',
      14,
      '"2026-02-30" is not a duration or a date at column 14 (e.g. 14d, 12h, 2026-01-01, 2026-01-01T09:00:00Z)',
    ],
    ['lastSeen > 99999999d', 12, '"99999999d" is too long a duration at column 12 (at most 36500d)'],
    ['os = windows', 6, '"windows" is not a valid os at column 6 (one of android, ios)'],
    ['mode != byod2', 9, '"byod2" is not a valid mode at column 9 (one of COPE, COBO, BYOD)'],
    ['os = and', 6, "selector error at column 6: expected 'android' or 'ios' after '=', found 'and'"],
    ['osVersion < 13a', 13, '"13a" is not a version at column 13 (e.g. 13, 14.1.2)'],
    [
      'label = Lost',
      9,
      '"Lost" is not a valid label at column 9 (labels are lowercase letters, digits and . _ : / -)',
    ],
    ['locked = yes', 10, '"yes" is not true or false at column 10 (write locked or not locked)'],
    ['group < sales', 7, "'<' does not apply to group at column 7 (group takes '=', '!=', 'in' or 'not in')"],
    [
      'lastSeen = 14d',
      10,
      "'=' does not apply to lastSeen at column 10 (lastSeen takes '<', '<=', '>' or '>=')",
    ],
    ['locked in (true)', 8, "'in' does not apply to locked at column 8 (locked takes '=' or '!=')"],
    [
      'group',
      6,
      "selector error at column 6: expected '=', '!=', 'in' or 'not in' after \"group\", found end of input",
    ],
    [
      'os = ios and',
      13,
      "selector error at column 13: expected a field, 'not' or '(' after 'and', found end of input",
    ],
    [
      '(os = ios',
      10,
      "selector error at column 10: expected 'and', 'or' or ')' after \"ios\", found end of input",
    ],
    [
      'os = ios)',
      9,
      "selector error at column 9: expected 'and', 'or' or end of input after \"ios\", found ')'",
    ],
    [
      'os = ios group = x',
      10,
      'selector error at column 10: expected \'and\', \'or\' or end of input after "ios", found "group"',
    ],
    [
      'model = "Galaxy',
      16,
      "selector error at column 16: expected '\"' to close the string opened at column 9, found end of input",
    ],
    [
      'model = "a\\nb"',
      11,
      "selector error at column 11: unknown escape '\\n' in a string (write \\\" for a quote, \\\\ for a backslash)",
    ],
    ['label in (lost, )', 17, "selector error at column 17: expected a value after ',', found ')'"],
    ['label in ()', 11, "selector error at column 11: expected a value after '(', found ')'"],
    ['label in lost', 10, "selector error at column 10: expected '(' after 'in', found \"lost\""],
    ['label not lost', 11, "selector error at column 11: expected 'in' after 'not', found \"lost\""],
    [
      'label in (lost stolen)',
      16,
      'selector error at column 16: expected \',\' or \')\' after "lost", found "stolen"',
    ],
    [
      'os == ios',
      4,
      "selector error at column 4: expected '=', '!=', 'in' or 'not in' after \"os\", found '==' (write '=')",
    ],
    [
      'os = ios && locked',
      10,
      "selector error at column 10: expected 'and', 'or' or end of input after \"ios\", found '&&' (write 'and')",
    ],
    ['!locked', 1, "selector error at column 1: expected a field, 'not' or '(', found '!' (write 'not')"],
    [
      'os = ios # note',
      10,
      "selector error at column 10: expected 'and', 'or' or end of input after \"ios\", found '#'",
    ],
    [
      'os = ios \x1b[2J',
      10,
      "selector error at column 10: expected 'and', 'or' or end of input after \"ios\", found '\\u001b'",
    ],
    ['model = "日本" or 日本', 17, `unknown field "日本" at column 17 (${FIELDS})`],
    [
      'model = "📱📱" or 📱',
      17,
      "selector error at column 17: expected a field, 'not' or '(' after 'or', found '📱'",
    ],
    [
      `${'not '.repeat(33)}locked`,
      129,
      "selector error at column 129: nested too deeply (at most 32 levels of parentheses and 'not')",
    ],
  ];

  it.each(cases)('%j fails at column %i', (text, column, message) => {
    let error: unknown;
    try {
      parseSelector(text);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(SelectorError);
    expect((error as SelectorError).message).toBe(message);
    expect((error as SelectorError).column).toBe(column);
  });

  it('says what would have been valid', () => {
    const expectedAt = (text: string) => {
      try {
        parseSelector(text);
      } catch (error) {
        return (error as SelectorError).expected;
      }
    };
    expect(expectedAt('os = ')).toEqual(['android', 'ios']);
    expect(expectedAt('(os = ios')).toEqual(['and', 'or', ')']);
    expect(expectedAt('group sales')).toEqual(['=', '!=', 'in', 'not in']);
    expect(expectedAt('grup = x')).toContain('group');
    expect(expectedAt('lastSeen > soon')).toEqual(['a duration', 'a date', 'an RFC 3339 time']);
  });
});

it('lists the fields a selector tests', () => {
  expect([
    ...selectorFields(parseSelector('os = ios or (not locked and label in (a, b) and os = android)')),
  ]).toEqual(['os', 'locked', 'label']);
});
