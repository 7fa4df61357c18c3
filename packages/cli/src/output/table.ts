import Table from 'cli-table3';
import type { Cell, CellContext, Column } from './view';
import { each } from './write';

const tableCell = (cell: Cell): string => (cell === null || cell === undefined ? '' : String(cell));

const style = (color: boolean) => (color ? { head: ['cyan'], border: ['grey'] } : { head: [], border: [] });

/** No rule between rows, so a long list stays readable. */
const compact = { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' };

/** A table with a header row and one row per item. */
export async function formatTable<T>(
  items: Iterable<T> | AsyncIterable<T>,
  columns: Column<T>[],
  context: CellContext,
  color: boolean,
): Promise<{ text: string; rows: number }> {
  const table = new Table({ head: columns.map((c) => c.header), style: style(color), chars: compact });
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
  const table = new Table({ style: style(color) });
  for (const column of columns) {
    const header = color ? `\x1b[36m${column.header}\x1b[39m` : column.header;
    table.push([header, tableCell(column.value(item, context))]);
  }
  return `${table.toString()}\n`;
}
