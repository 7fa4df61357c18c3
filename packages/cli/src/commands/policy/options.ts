import { InvalidArgumentError } from 'commander';

/** What `--context` records with an apply, as the API names it. */
export interface ApplyContext {
  commit?: string;
  ciRun?: string;
  ref?: string;
}

const CONTEXT_KEYS: Record<string, keyof ApplyContext> = { commit: 'commit', 'ci-run': 'ciRun', ref: 'ref' };

/** Parses `commit=abc123,ci-run=https://…,ref=main`. */
export function applyContext(value: string): ApplyContext {
  const context: ApplyContext = {};
  for (const pair of value.split(',')) {
    const [key, ...rest] = pair.split('=');
    const field = CONTEXT_KEYS[key?.trim() ?? ''];
    const text = rest.join('=').trim();
    if (!field || !text) {
      throw new InvalidArgumentError(
        'expected key=value pairs of commit, ci-run and ref, e.g. commit=abc123,ci-run=42',
      );
    }
    context[field] = text;
  }
  return context;
}

/** Parses a percent from 0 to 100, with or without `%` (`2%`, `0.5`). */
export function percent(value: string): number {
  const text = value.trim().replace(/%$/, '');
  const n = Number(text);
  if (!/^\d+(?:\.\d+)?$/.test(text) || n > 100) {
    throw new InvalidArgumentError('expected a percent from 0 to 100, e.g. 2%');
  }
  return n;
}
