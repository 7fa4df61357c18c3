import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { clientContext, contextPairs } from './context';

describe('--context', () => {
  it('takes key=value, repeated or comma-separated, camel-casing kebab keys', () => {
    const first = contextPairs('ticket=CHG-7');
    expect(contextPairs('commit=abc123,ci-run=https://ci.example.com/runs/7?a=b', first)).toEqual({
      ticket: 'CHG-7',
      commit: 'abc123',
      ciRun: 'https://ci.example.com/runs/7?a=b',
    });
  });

  it.each(['ticket', 'ticket=', '=x', 'tick et=1', '1st=x'])('refuses %s', (value) => {
    expect(() => contextPairs(value)).toThrow(InvalidArgumentError);
  });

  it('sends the CI commit and run, under what --context gives', () => {
    expect(clientContext({ GITHUB_SHA: 'f00d', GITHUB_RUN_ID: '42' }, { ciRun: 'manual' })).toEqual({
      gitCommit: 'f00d',
      ciRun: 'manual',
    });
    expect(clientContext({ CI_COMMIT_SHA: 'beef', CI_PIPELINE_ID: '9' })).toEqual({
      gitCommit: 'beef',
      ciRun: '9',
    });
    expect(clientContext({})).toBeUndefined();
  });
});
