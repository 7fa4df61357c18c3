import { each, write } from './write';

/** Pretty JSON of one item. */
export function formatJson(item: unknown): string {
  return `${JSON.stringify(item, null, 2)}\n`;
}

/** Writes items as one pretty JSON array, item by item, the same text as `JSON.stringify(items, null, 2)`. */
export async function writeJsonArray(
  stream: NodeJS.WritableStream,
  items: Iterable<unknown> | AsyncIterable<unknown>,
) {
  let first = true;
  for await (const item of each(items)) {
    const indented = JSON.stringify(item, null, 2).replaceAll('\n', '\n  ');
    await write(stream, `${first ? '[\n' : ',\n'}  ${indented}`);
    first = false;
  }
  await write(stream, first ? '[]\n' : '\n]\n');
}

/** Writes one compact JSON document per line. */
export async function writeNdjson(
  stream: NodeJS.WritableStream,
  items: Iterable<unknown> | AsyncIterable<unknown>,
) {
  for await (const item of each(items)) await write(stream, `${JSON.stringify(item)}\n`);
}
