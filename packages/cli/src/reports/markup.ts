/**
 * Characters XML 1.0 does not allow even as a reference: C0 controls but tab, newline and
 * carriage return, and U+FFFE, U+FFFF. A device may report any of them. (Unpaired surrogates
 * cannot come: the server's database does not store them.)
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const NOT_XML = /[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]/g;

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * Text made safe for XML and HTML, in element content and in quoted attribute values alike:
 * markup characters become entities and characters XML cannot hold become U+FFFD.
 */
export function escapeMarkup(text: string): string {
  return text.replace(NOT_XML, '\ufffd').replace(/[&<>"']/g, (char) => ENTITIES[char]!);
}

/** `name="value"` pairs, escaped; undefined values are left out. */
export function attributes(values: Record<string, string | number | undefined>): string {
  return Object.entries(values)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([name, value]) => ` ${name}="${escapeMarkup(String(value))}"`)
    .join('');
}
