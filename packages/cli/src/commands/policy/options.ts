import { InvalidArgumentError } from 'commander';

/** What an apply records on its revision, as the API names it. */
export interface ApplyContext {
  commit?: string;
  ciRun?: string;
  ref?: string;
}

/**
 * The revision's context from the global `--context` pairs (`commit=abc123,ci-run=…,ref=main`):
 * their commit, ci-run and ref; every pair also goes to the activity log with the apply.
 */
export function applyContext(context: Record<string, string> | undefined): ApplyContext | undefined {
  if (!context) return undefined;
  const { commit, ciRun, ref } = context;
  const picked = Object.entries({ commit, ciRun, ref }).filter(([, value]) => value !== undefined);
  return picked.length > 0 ? Object.fromEntries(picked) : undefined;
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
