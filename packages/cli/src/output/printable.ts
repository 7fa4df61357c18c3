/** C0 controls but the newline, DEL, and C1 controls: what a terminal may act on rather than print. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\x00-\x09\x0b-\x1f\x7f-\x9f]/g;

/**
 * Text safe to write to a terminal: control characters are shown as `cat -v` shows them
 * (`\x1b` as `^[`, `\x07` as `^G`, `\x9b` as `M-^[`), so a string a device reported cannot move
 * the cursor, recolour the screen or set the window title. Newlines stay.
 */
export function printable(text: string): string {
  return text.replace(CONTROL, caretNotation);
}

function caretNotation(char: string): string {
  const code = char.charCodeAt(0);
  if (code === 0x7f) return '^?';
  if (code >= 0x80) return `M-${caretNotation(String.fromCharCode(code - 0x80))}`;
  return `^${String.fromCharCode(code + 0x40)}`;
}
