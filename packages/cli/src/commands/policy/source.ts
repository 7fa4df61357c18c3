import {
  isMap,
  isPair,
  isScalar,
  isSeq,
  type LineCounter,
  type Node,
  type Document as YamlDocument,
} from 'yaml';

/** A path into a document: keys of mappings and indexes of lists. */
export type FieldPath = readonly (string | number)[];

/** A 1-based line and column in a file. */
export interface Position {
  line: number;
  col: number;
}

/** A parsed file with what it takes to point back into its text. */
export interface SourceFile {
  /** The file as the person named it (the directory given, joined with the path under it). */
  file: string;
  document: YamlDocument.Parsed;
  lineCounter: LineCounter;
}

/**
 * Where the field at `path` is written: its value, or with `atKey` its key. A field that is not
 * there (a missing required one) points at the nearest enclosing field that is.
 */
export function positionOf(source: SourceFile, path: FieldPath, options: { atKey?: boolean } = {}): Position {
  let node: Node | null | undefined = source.document.contents;
  let at = node?.range?.[0] ?? 0;
  for (const [i, segment] of path.entries()) {
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find(
        (p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(segment),
      );
      if (!pair) break;
      const key = pair.key as Node;
      at = key.range?.[0] ?? at;
      if (last && options.atKey) break;
      node = pair.value as Node | null;
      if (node?.range && !isNullScalarAfterKey(node)) at = node.range[0];
    } else if (isSeq(node) && typeof segment === 'number' && node.items[segment]) {
      node = node.items[segment] as Node;
      at = node.range?.[0] ?? at;
    } else {
      break;
    }
  }
  return linePos(source, at);
}

/** An empty value (`spec:` with nothing after it) has no text of its own: point at its key instead. */
function isNullScalarAfterKey(node: Node): boolean {
  return isScalar(node) && node.value === null && node.range?.[0] === node.range?.[1];
}

/** The 1-based line and column of an offset in the file. */
export function linePos(source: Pick<SourceFile, 'lineCounter'>, offset: number): Position {
  const { line, col } = source.lineCounter.linePos(offset);
  return { line, col };
}

/** A path for people: `spec.applications[1].packageName`. */
export function formatPath(path: FieldPath): string {
  return path
    .map((segment, i) => (typeof segment === 'number' ? `[${segment}]` : i === 0 ? segment : `.${segment}`))
    .join('');
}
