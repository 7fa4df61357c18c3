import { stringify } from 'csv-stringify/sync';
import type { Cell, CellContext, Column } from './view';
import { each, write } from './write';

const csvCell = (cell: Cell): string => (cell === null || cell === undefined ? '' : String(cell));

/** Writes a header row of column keys, then one RFC 4180 row per item as it arrives. */
export async function writeCsv<T>(
  stream: NodeJS.WritableStream,
  items: Iterable<T> | AsyncIterable<T>,
  columns: Column<T>[],
  context: CellContext,
) {
  await write(stream, stringify([columns.map((c) => c.key)]));
  for await (const item of each(items)) {
    await write(stream, stringify([columns.map((c) => csvCell(c.value(item, context)))]));
  }
}
