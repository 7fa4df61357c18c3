import { stringify } from 'csv-stringify/sync';
import type { Cell, CellContext, Column } from './view';
import { each, write } from './write';

/** How a spreadsheet recognises a formula (OWASP, CSV injection). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * A cell as text. A string that a spreadsheet would run as a formula gets a leading `'`,
 * so opening the file cannot run what a device reported; numbers stay as they are.
 */
const csvCell = (cell: Cell): string => {
  if (cell === null || cell === undefined) return '';
  if (typeof cell === 'string' && FORMULA_START.test(cell)) return `'${cell}`;
  return String(cell);
};

/** Writes a header row of column keys, then one RFC 4180 row per item as it arrives; formulas are neutralised. */
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
