/** An element of a parsed XML document. */
export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  /** The element's own text (entities decoded), without that of its children. */
  text: string;
}

const NAME = /^[A-Za-z_:][\w:.-]*/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: characters XML does not allow
const NOT_XML = /[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]/;
const ENTITY = /^&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/;
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/**
 * Parses a well-formed XML document (an XHTML-style HTML page too: a doctype is skipped) into
 * its root element, and throws on anything a conforming parser would refuse: unclosed or
 * mismatched tags, unquoted or repeated attributes, a raw `<` or a stray `&`, characters XML
 * cannot hold. Enough to check what a report writes; not a full XML processor.
 */
export function parseXml(source: string): XmlElement {
  const illegal = NOT_XML.exec(source);
  if (illegal) throw new Error(`character U+${illegal[0].charCodeAt(0).toString(16)} at ${illegal.index}`);
  let at = 0;
  const fail = (what: string, where = at): never => {
    throw new Error(`${what} at offset ${where}: ${JSON.stringify(source.slice(where, where + 40))}`);
  };
  const decode = (raw: string, start: number): string => {
    let out = '';
    for (let i = 0; i < raw.length; i++) {
      const char = raw[i]!;
      if (char === '<') fail('raw <', start + i);
      if (char !== '&') {
        out += char;
        continue;
      }
      const entity = ENTITY.exec(raw.slice(i));
      if (!entity) fail('stray &', start + i);
      const ref = entity![1]!;
      out += ref.startsWith('#x')
        ? String.fromCodePoint(Number.parseInt(ref.slice(2), 16))
        : ref.startsWith('#')
          ? String.fromCodePoint(Number(ref.slice(1)))
          : NAMED[ref]!;
      i += entity![0].length - 1;
    }
    return out;
  };
  const skipMisc = () => {
    for (;;) {
      while (/\s/.test(source[at] ?? '')) at++;
      if (source.startsWith('<?', at)) at = source.indexOf('?>', at) + 2;
      else if (source.startsWith('<!--', at)) at = source.indexOf('-->', at) + 3;
      else if (/^<!doctype/i.test(source.slice(at, at + 9))) at = source.indexOf('>', at) + 1;
      else return;
      if (at < 2) fail('unterminated declaration');
    }
  };
  const element = (): XmlElement => {
    if (source[at] !== '<') fail('expected <');
    at++;
    const name = NAME.exec(source.slice(at))?.[0] ?? fail('expected a tag name');
    at += name.length;
    const attributes: Record<string, string> = {};
    for (;;) {
      const space = /^\s*/.exec(source.slice(at))![0].length;
      at += space;
      if (source.startsWith('/>', at)) {
        at += 2;
        return { name, attributes, children: [], text: '' };
      }
      if (source[at] === '>') break;
      if (space === 0) fail('expected a space before an attribute');
      const attribute = NAME.exec(source.slice(at))?.[0] ?? fail('expected an attribute name');
      if (attribute in attributes) fail(`repeated attribute ${attribute}`);
      at += attribute.length;
      const quoted = /^\s*=\s*(["'])/.exec(source.slice(at)) ?? fail('expected ="…"');
      at += quoted[0].length;
      const end = source.indexOf(quoted[1]!, at);
      if (end < 0) fail('unterminated attribute value');
      attributes[attribute] = decode(source.slice(at, end), at);
      at = end + 1;
    }
    at++;
    const node: XmlElement = { name, attributes, children: [], text: '' };
    for (;;) {
      const next = source.indexOf('<', at);
      if (next < 0) fail(`unclosed <${name}>`);
      node.text += decode(source.slice(at, next), at);
      at = next;
      if (source.startsWith('</', at)) {
        const close = /^<\/([^\s>]+)\s*>/.exec(source.slice(at)) ?? fail('bad end tag');
        if (close[1] !== name) fail(`</${close[1]}> closes <${name}>`);
        at += close[0].length;
        return node;
      }
      if (source.startsWith('<!--', at)) {
        at = source.indexOf('-->', at) + 3;
        if (at < 3) fail('unterminated comment');
      } else if (source.startsWith('<![CDATA[', at)) {
        const end = source.indexOf(']]>', at);
        if (end < 0) fail('unterminated CDATA');
        node.text += source.slice(at + 9, end);
        at = end + 3;
      } else node.children.push(element());
    }
  };
  skipMisc();
  const root = element();
  skipMisc();
  if (at !== source.length) fail('content after the root element');
  return root;
}

/** Every element named `name` at or under `root`, in document order. */
export function findAll(root: XmlElement, name: string): XmlElement[] {
  const found = root.name === name ? [root] : [];
  for (const child of root.children) found.push(...findAll(child, name));
  return found;
}

/** The text of an element and everything under it. */
export function textOf(element: XmlElement): string {
  return element.text + element.children.map(textOf).join('');
}
