import Table from 'cli-table3';
import { printable } from './printable';
import type { Cell, CellContext, Column } from './view';
import { each } from './write';

/** A cell as text; device-reported strings may hold control characters, shown rather than run. */
const tableCell = (cell: Cell): string =>
  cell === null || cell === undefined ? '' : printable(String(cell));

/**
 * Headers are coloured here rather than by cli-table3's styles, whose colour library
 * decides on its own (from the process's stdout and CI variables) whether to colour.
 */
const noStyle = { head: [], border: [] };
const header = (text: string, color: boolean) => (color ? `\x1b[36m${text}\x1b[39m` : text);

/** No rule between rows, so a long list stays readable. */
const compact = { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' };

/** A table with a header row and one row per item. */
export async function formatTable<T>(
  items: Iterable<T> | AsyncIterable<T>,
  columns: Column<T>[],
  context: CellContext,
  color: boolean,
): Promise<{ text: string; rows: number }> {
  const table = new Table({
    head: columns.map((c) => header(c.header, color)),
    style: noStyle,
    chars: compact,
  });
  for await (const item of each(items)) table.push(columns.map((c) => tableCell(c.value(item, context))));
  return { text: `${table.toString()}\n`, rows: table.length };
}

/** A two-column table of one item's fields: header, then value. */
export function formatRecordTable<T>(
  item: T,
  columns: Column<T>[],
  context: CellContext,
  color: boolean,
): string {
  const table = new Table({ style: noStyle });
  for (const column of columns)
    table.push([header(column.header, color), tableCell(column.value(item, context))]);
  return `${table.toString()}\n`;
}
