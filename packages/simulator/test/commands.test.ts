import { describe, expect, it } from 'vitest';
import { CommandLedger } from '../src/command-ledger';
import { executeCommand } from '../src/commands';

describe('executeCommand', () => {
  it('locks the device', () => {
    expect(executeCommand({ type: 'lock', params: { message: 'Call IT' } }, { locked: false })).toEqual({
      status: 'succeeded',
      state: { locked: true },
    });
  });

  it('fails an unknown command type with the reason', () => {
    expect(executeCommand({ type: 'self-destruct', params: {} }, { locked: false })).toEqual({
      status: 'failed',
      error: 'unsupported command type: self-destruct',
    });
  });

  it('fails a lock with invalid parameters instead of throwing', () => {
    const outcome = executeCommand({ type: 'lock', params: { message: 42 } }, { locked: false });
    expect(outcome.status).toBe('failed');
    expect(outcome.error).toMatch(/invalid lock parameters/);
  });

  it('treats inherited property names as unknown command types', () => {
    expect(executeCommand({ type: 'toString', params: {} }, { locked: false }).status).toBe('failed');
  });
});

describe('CommandLedger', () => {
  it('remembers a command from its start to its result', () => {
    const ledger = new CommandLedger();
    expect(ledger.lookup('a')).toEqual({ kind: 'new' });
    ledger.begin('a');
    expect(ledger.lookup('a')).toEqual({ kind: 'running' });
    ledger.finish('a', { status: 'succeeded', state: { locked: true } });
    expect(ledger.lookup('a')).toEqual({
      kind: 'done',
      outcome: { status: 'succeeded', state: { locked: true } },
    });
    expect(ledger.done()).toEqual([['a', { status: 'succeeded', state: { locked: true } }]]);
  });

  it('comes back from stored results and forgets commands it never ran', () => {
    const ledger = new CommandLedger([['a', { status: 'failed', error: 'no' }]]);
    expect(ledger.lookup('a').kind).toBe('done');
    ledger.begin('b');
    ledger.forget('b');
    expect(ledger.lookup('b')).toEqual({ kind: 'new' });
  });

  it('keeps only the most recent commands', () => {
    const ledger = new CommandLedger([], 3);
    for (const id of ['a', 'b', 'c', 'd']) ledger.finish(id, { status: 'succeeded' });
    expect(ledger.done().map(([id]) => id)).toEqual(['b', 'c', 'd']);
  });
});
