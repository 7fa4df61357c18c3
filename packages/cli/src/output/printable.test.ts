import { describe, expect, it } from 'vitest';
import { printable } from './printable';

describe('printable', () => {
  it('shows escape sequences as text instead of letting the terminal run them', () => {
    expect(printable('Pixel\x1b]0;owned\x07 8')).toBe('Pixel^[]0;owned^G 8');
    expect(printable('\x1b[2J\x9b31m')).toBe('^[[2JM-^[31m');
  });

  it('shows carriage returns, tabs, NUL and DEL, and keeps newlines', () => {
    expect(printable('a\rb\tc\x00d\x7fe\nf')).toBe('a^Mb^Ic^@d^?e\nf');
  });

  it('leaves ordinary text, accents and emoji alone', () => {
    const text = 'Galaxy S24 Ultra — Zoë’s 📱';
    expect(printable(text)).toBe(text);
  });
});
