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
