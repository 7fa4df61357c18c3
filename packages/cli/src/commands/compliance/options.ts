import { InvalidArgumentError } from 'commander';

/**
 * Severities, lowest first, and remediation actions, as the API names them. Kept here rather
 * than imported from the protocol so that `--help` does not load zod; a test holds them to the
 * protocol's lists.
 */
export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export const REMEDIATION_ACTIONS = ['notify', 'lock', 'remove-app', 'wipe'] as const;
export const EVENT_TYPES = ['device.noncompliant', 'device.compliant'] as const;

/** Checks a rule name: lowercase letters, digits and `-`, as the rules file spells them. */
export function ruleName(value: string): string {
  const name = value.trim();
  if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(name)) {
    throw new InvalidArgumentError('expected a rule name: lowercase letters, digits and -, at most 63');
  }
  return name;
}

/** Checks a grace period such as `0s`, `24h`, `3d` or `2w`. */
export function grace(value: string): string {
  const text = value.trim();
  if (!/^(0|[1-9]\d{0,5})[smhdw]$/.test(text)) {
    throw new InvalidArgumentError('expected a duration such as 0s, 24h, 3d or 2w');
  }
  return text;
}

/** Parses a whole number of at least 0 (`--expect-count 0` is a real expectation). */
export function count(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n)) {
    throw new InvalidArgumentError('expected a whole number of at least 0');
  }
  return n;
}

/** Parses an event type: `noncompliant` or `compliant`, with or without the `device.` prefix. */
export function eventType(value: string): (typeof EVENT_TYPES)[number] {
  const text = value.trim();
  const type = EVENT_TYPES.find((t) => t === text || t === `device.${text}`);
  if (!type) throw new InvalidArgumentError('expected noncompliant or compliant');
  return type;
}
