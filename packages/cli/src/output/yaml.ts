import { stringify } from 'yaml';
import { each, write } from './write';

/** YAML of one item. */
export function formatYaml(item: unknown): string {
  return stringify(item);
}

/** Writes items as one YAML sequence, one `- ` entry at a time. */
export async function writeYamlSequence(
  stream: NodeJS.WritableStream,
  items: Iterable<unknown> | AsyncIterable<unknown>,
) {
  let empty = true;
  for await (const item of each(items)) {
    await write(stream, stringify([item]));
    empty = false;
  }
  if (empty) await write(stream, '[]\n');
}
