import type { PolicyDocument } from '@fleetops/protocol';
import type { PolicyProblem } from './problems';
import { type FieldPath, positionOf, type SourceFile } from './source';

/** The parts of a zod issue this module reads. */
interface SchemaIssue {
  code: string;
  path: PropertyKey[];
  message: string;
  input?: unknown;
  expected?: string;
  values?: unknown[];
  keys?: string[];
  origin?: string;
  minimum?: number | bigint;
  maximum?: number | bigint;
}

type SafeParseIssues = NonNullable<ReturnType<typeof PolicyDocument.safeParse>['error']>['issues'];

/** Each schema issue as a problem at the field it concerns; an unknown field points at its key. */
export function schemaProblems(source: SourceFile, issues: SafeParseIssues): PolicyProblem[] {
  return (issues as SchemaIssue[]).flatMap((issue) => {
    const path = issue.path.filter((s): s is string | number => typeof s !== 'symbol');
    if (issue.code === 'unrecognized_keys') {
      return (issue.keys ?? []).map((key) =>
        problem(source, [...path, key], 'unknown field', { atKey: true }),
      );
    }
    const missing = issue.code === 'invalid_type' && issue.input === undefined;
    return [problem(source, path, missing ? 'required' : describeIssue(issue))];
  });
}

function problem(
  source: SourceFile,
  path: FieldPath,
  message: string,
  options: { atKey?: boolean } = {},
): PolicyProblem {
  return { file: source.file, ...positionOf(source, path, options), path, message };
}

const TYPE_NAMES: Record<string, string> = {
  boolean: 'true or false',
  number: 'a number',
  int: 'a whole number',
  string: 'text',
  object: 'a mapping',
  array: 'a list',
};

/** Zod's messages, reworded for someone editing a YAML file. */
function describeIssue(issue: SchemaIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${TYPE_NAMES[issue.expected ?? ''] ?? issue.expected}, got ${describeValue(issue.input)}`;
    case 'invalid_value': {
      const values = (issue.values ?? []).map((v) => JSON.stringify(v));
      const expected = values.length === 1 ? values[0] : `one of ${values.join(', ')}`;
      return `expected ${expected}, got ${describeValue(issue.input)}`;
    }
    case 'too_small':
      return issue.origin === 'array'
        ? `needs at least ${issue.minimum} ${issue.minimum === 1 ? 'entry' : 'entries'}`
        : issue.origin === 'string'
          ? `needs at least ${issue.minimum} characters`
          : `must be at least ${issue.minimum}, got ${describeValue(issue.input)}`;
    case 'too_big':
      return issue.origin === 'array'
        ? `has more than ${issue.maximum} entries`
        : issue.origin === 'string'
          ? `has more than ${issue.maximum} characters`
          : `must be at most ${issue.maximum}, got ${describeValue(issue.input)}`;
    default:
      return issue.message;
  }
}

function describeValue(value: unknown): string {
  if (value === null) return 'nothing (null)';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return JSON.stringify(value);
}
