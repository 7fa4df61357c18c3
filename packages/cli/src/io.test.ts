import { describe, expect, it } from 'vitest';
import { memoryStreams } from '../test/memory-io';
import { colorEnabled, createIO, isCI, isInteractive, isNonInteractiveOrCI } from './io';

describe('terminal detection', () => {
  it('is interactive only when stdin and stdout are terminals', () => {
    expect(isInteractive(memoryStreams({ tty: true }).streams)).toBe(true);
    expect(isInteractive(memoryStreams({ tty: false }).streams)).toBe(false);
    expect(isInteractive(memoryStreams({ tty: true, env: { TERM: 'dumb' } }).streams)).toBe(false);
  });

  it('CI makes a terminal non-interactive for prompts and animation', () => {
    expect(isNonInteractiveOrCI(memoryStreams({ tty: true }).streams)).toBe(false);
    expect(isNonInteractiveOrCI(memoryStreams({ tty: true, env: { CI: 'true' } }).streams)).toBe(true);
    expect(isCI({ CI: '0' })).toBe(false);
    expect(isCI({ CI: 'false' })).toBe(false);
    expect(isCI({ CI: '1' })).toBe(true);
  });

  it('colours a terminal unless NO_COLOR or --no-color; FORCE_COLOR colours a pipe', () => {
    expect(colorEnabled({ isTTY: true }, {})).toBe(true);
    expect(colorEnabled({ isTTY: false }, {})).toBe(false);
    expect(colorEnabled({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(colorEnabled({ isTTY: true }, {}, true)).toBe(false);
    expect(colorEnabled({ isTTY: false }, { FORCE_COLOR: '1' })).toBe(true);
    expect(colorEnabled({ isTTY: true }, { FORCE_COLOR: '0' })).toBe(false);
  });
});

describe('messages on stderr', () => {
  it('show control characters in quoted text instead of sending them to the terminal', () => {
    const { streams, stderr } = memoryStreams();
    const io = createIO(streams);
    io.info('device 1: lock failed: \x1b]0;owned\x07');
    io.warn('lock failed: \x1b[2Jgone');
    expect(stderr.text).toBe('device 1: lock failed: ^[]0;owned^G\nwarning: lock failed: ^[[2Jgone\n');
  });
});
