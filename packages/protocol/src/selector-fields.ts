import type { z } from 'zod';
import { GroupName, Label, Timestamp } from './common';
import { DeviceStatus, ManagementMode, Os } from './device';
import { parseDuration } from './duration';

/**
 * How a field's values are written and compared:
 * - `enum`: one of a fixed set of words, any case;
 * - `text`: a word or a quoted string, matched exactly (or ignoring case);
 * - `set`: the device has several (labels); `=` means "has", `in` means "has any";
 * - `version`: dotted numbers compared number by number, trailing zeros ignored (13 = 13.0 < 13.1);
 * - `boolean`: written bare (`locked`, `not locked`) or compared with true or false;
 * - `time`: compared with an age (`> 14d`: longer ago than 14 days), a UTC day or an RFC 3339 time.
 */
export type SelectorFieldType = 'enum' | 'text' | 'set' | 'version' | 'boolean' | 'time';

/** One field a selector can test. */
export type SelectorFieldSpec = { description: string } & (
  | { type: 'enum'; values: readonly string[] }
  | { type: 'text'; caseInsensitive?: boolean; schema?: z.ZodType<string> }
  | { type: 'set'; schema: z.ZodType<string> }
  | { type: 'version' | 'boolean' | 'time' }
);

/** The fields of the device selector language; names are case-sensitive. */
export const SELECTOR_FIELDS = {
  os: { type: 'enum', values: Os.options, description: 'Operating system' },
  osVersion: {
    type: 'version',
    description: 'OS version, compared number by number: 9 < 13 = 13.0 < 13.1',
  },
  model: { type: 'text', caseInsensitive: true, description: 'Model name, e.g. "Galaxy S23"' },
  brand: { type: 'text', caseInsensitive: true, description: 'Brand, e.g. Samsung' },
  serial: { type: 'text', description: 'Serial number' },
  imei: { type: 'text', description: 'IMEI (15 digits); not every device has one' },
  group: { type: 'text', schema: GroupName, description: 'Group the device belongs to' },
  label: {
    type: 'set',
    schema: Label,
    description: '`label = x`: has x; `label in (x, y)`: has any of them',
  },
  mode: {
    type: 'enum',
    values: ManagementMode.options,
    description: 'Management mode (BYOD: personally owned)',
  },
  status: {
    type: 'enum',
    values: DeviceStatus.options,
    description: 'Enrollment status (retired: unenrolled)',
  },
  locked: { type: 'boolean', description: 'The device reports itself locked' },
  lastSeen: { type: 'time', description: 'Last check-in: `lastSeen > 14d` is "not seen for 14 days"' },
  enrolledAt: {
    type: 'time',
    description: 'Enrollment: `enrolledAt < 2026-01-01` is "enrolled before 2026"',
  },
} as const satisfies Record<string, SelectorFieldSpec>;

export type SelectorFieldName = keyof typeof SELECTOR_FIELDS;

export const isSelectorField = (name: string): name is SelectorFieldName =>
  Object.hasOwn(SELECTOR_FIELDS, name);

export type ComparisonOperator = '=' | '!=' | '<' | '<=' | '>' | '>=';
export type SelectorOperator = ComparisonOperator | 'in' | 'not in';

const EQUALITY: readonly SelectorOperator[] = ['=', '!=', 'in', 'not in'];

/** The operators each type of field takes. */
export const OPERATORS_BY_TYPE: Record<SelectorFieldType, readonly SelectorOperator[]> = {
  enum: EQUALITY,
  text: EQUALITY,
  set: EQUALITY,
  version: ['=', '!=', '<', '<=', '>', '>=', 'in', 'not in'],
  boolean: ['=', '!='],
  time: ['<', '<=', '>', '>='],
};

/** A value of a selector, typed by how it compares. */
export type SelectorValue =
  | { type: 'text'; value: string }
  /** Dotted numbers without leading zeros nor trailing `.0` components: `14.0.0` is `14`. */
  | { type: 'version'; value: string }
  | { type: 'boolean'; value: boolean }
  | { type: 'duration'; seconds: number }
  /** A whole UTC day, `YYYY-MM-DD`. */
  | { type: 'date'; value: string }
  /** An instant, as an ISO 8601 UTC string. */
  | { type: 'timestamp'; value: string };

/** Why a value does not fit its field: `"soon" is not a duration …`, with a hint and the valid forms. */
export interface ValueProblem {
  problem: string;
  hint: string;
  expected: string[];
}

/** A duration longer than this is surely a typo; it would also overflow the database's intervals. */
const MAX_DURATION_SECONDS = 36_500 * 86_400;
const VERSION = /^\d+(\.\d+)*$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

const isDay = (text: string) =>
  DATE.test(text) && new Date(`${text}T00:00:00Z`).toISOString().slice(0, 10) === text;

/** Reads the text of a value as the field's type wants it. */
export function readValue(field: SelectorFieldName, text: string): SelectorValue | ValueProblem {
  const spec: SelectorFieldSpec = SELECTOR_FIELDS[field];
  switch (spec.type) {
    case 'enum': {
      const value = spec.values.find((v) => v.toLowerCase() === text.toLowerCase());
      return value !== undefined
        ? { type: 'text', value }
        : {
            problem: `is not a valid ${field}`,
            hint: `one of ${spec.values.join(', ')}`,
            expected: [...spec.values],
          };
    }
    case 'text':
    case 'set': {
      const checked = spec.schema?.safeParse(text);
      if (checked && !checked.success) {
        const hint = checked.error.issues[0]?.message ?? `not a valid ${field}`;
        return { problem: `is not a valid ${field}`, hint, expected: [`a ${field}`] };
      }
      return { type: 'text', value: text };
    }
    case 'version':
      return VERSION.test(text)
        ? { type: 'version', value: normalizeVersion(text) }
        : { problem: 'is not a version', hint: 'e.g. 13, 14.1.2', expected: ['a version'] };
    case 'boolean': {
      const value = text.toLowerCase();
      return value === 'true' || value === 'false'
        ? { type: 'boolean', value: value === 'true' }
        : {
            problem: 'is not true or false',
            hint: `write ${field} or not ${field}`,
            expected: ['true', 'false'],
          };
    }
    case 'time':
      return readTime(text);
  }
}

function readTime(text: string): SelectorValue | ValueProblem {
  const expected = ['a duration', 'a date', 'an RFC 3339 time'];
  const seconds = parseDuration(text);
  if (seconds !== undefined) {
    return seconds <= MAX_DURATION_SECONDS
      ? { type: 'duration', seconds }
      : { problem: 'is too long a duration', hint: 'at most 36500d', expected };
  }
  if (isDay(text)) return { type: 'date', value: text };
  if (Timestamp.safeParse(text).success) {
    return { type: 'timestamp', value: new Date(text).toISOString() };
  }
  return {
    problem: 'is not a duration or a date',
    hint: 'e.g. 14d, 12h, 2026-01-01, 2026-01-01T09:00:00Z',
    expected,
  };
}

function normalizeVersion(text: string): string {
  const parts = text.split('.').map((part) => part.replace(/^0+(?=\d)/, ''));
  while (parts.length > 1 && parts[parts.length - 1] === '0') parts.pop();
  return parts.join('.');
}
