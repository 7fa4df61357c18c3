import { InvalidArgumentError } from 'commander';

/**
 * The audit categories, as the API names them. Kept here rather than imported from the protocol
 * so that `--help` does not load zod; a test holds them to the protocol's list.
 */
export const AUDIT_TYPES = [
  'location',
  'callLog',
  'appUsage',
  'screenshots',
  'fileVirusScan',
  'operationLogs',
  'networkInfo',
  'signInOut',
] as const;
export type AuditType = (typeof AUDIT_TYPES)[number];

/** `callLog` as typed on a command line: `call-log`. */
export const kebab = (name: string): string => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

const camel = (name: string): string => name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

/** Parses `location,call-log` (kebab or camel case) into the API's category names. */
export function auditTypes(value: string): AuditType[] {
  const types: AuditType[] = [];
  for (const raw of value.split(',').map((s) => s.trim())) {
    if (raw === '') continue;
    const type = AUDIT_TYPES.find((t) => t === camel(raw));
    if (!type) {
      throw new InvalidArgumentError(`unknown type "${raw}": expected ${AUDIT_TYPES.map(kebab).join(', ')}`);
    }
    if (!types.includes(type)) types.push(type);
  }
  if (types.length === 0) throw new InvalidArgumentError('expected a comma-separated list of types');
  return types;
}

const DURATION = /^\d+\s*[smhdw]$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i;

/**
 * Checks a point in time: a duration back from now (`24h`, `7d`), a date (`2026-01-01`, at
 * midnight UTC) or a timestamp with its offset (`2026-01-01T09:30:00Z`); the handler resolves it.
 */
export function timeBound(value: string): string {
  const text = value.trim();
  const valid =
    DURATION.test(text) || ((DATE.test(text) || TIMESTAMP.test(text)) && !Number.isNaN(Date.parse(text)));
  if (!valid) {
    throw new InvalidArgumentError(
      'expected a duration back from now such as 24h or 7d, a date such as 2026-01-01, or a timestamp such as 2026-01-01T09:30:00Z',
    );
  }
  return text;
}
