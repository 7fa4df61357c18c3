import { InvalidArgumentError } from 'commander';

/** Parses a whole number of at least 1. */
export function positiveInt(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1) {
    throw new InvalidArgumentError('expected a whole number of at least 1');
  }
  return n;
}

/** Parses a port number; 0 picks any free port. */
export function port(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n > 65_535)
    throw new InvalidArgumentError('expected a port, 0 to 65535');
  return n;
}

/** Parses a whole number (a seed). */
export function integer(value: string): number {
  const n = Number(value);
  if (!/^-?\d+$/.test(value.trim()) || !Number.isSafeInteger(n))
    throw new InvalidArgumentError('expected a whole number');
  return n;
}

/** Parses `a,b,c` into its non-empty items. */
export function commaList(value: string): string[] {
  const items = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (items.length === 0) throw new InvalidArgumentError('expected a comma-separated list');
  return items;
}

/** Checks a duration such as `90s`, `15m`, `12h`, `14d`, `2w`; the handler converts it. */
export function duration(value: string): string {
  if (!/^\d+\s*[smhdw]$/.test(value.trim())) {
    throw new InvalidArgumentError('expected a duration such as 90s, 15m, 12h, 14d or 2w');
  }
  return value.trim();
}

/** Whether `value` is an http or https URL. */
export function isHttpUrl(value: string): boolean {
  const protocol = URL.canParse(value) ? new URL(value).protocol : undefined;
  return protocol === 'http:' || protocol === 'https:';
}

/** Parses an http(s) URL, without a trailing slash. */
export function httpUrl(value: string): string {
  if (!isHttpUrl(value))
    throw new InvalidArgumentError('expected an http(s) URL such as https://fleet.example.com');
  return value.replace(/\/+$/, '');
}
