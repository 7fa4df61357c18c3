import type { IO } from '../io';
import type { CellContext, Column, CommandResult, ListResult, OutputFormat } from './view';
import { write } from './write';

/**
 * Writes a handler's result to stdout in the chosen format. Each format's library is
 * loaded only when that format is asked for.
 */
export async function renderResult(
  result: CommandResult,
  format: OutputFormat,
  io: IO,
  now: Date,
): Promise<void> {
  if (result.kind === 'none') return;
  const context: CellContext = { interactive: format === 'table' && io.isInteractive(), now };
  if (result.kind === 'list') return renderList(result, format, io, context);
  await renderRecord(result.item, result.columns, format, io, context);
  if (result.trailer) {
    if (format === 'table') await write(io.stdout, result.trailer);
    else io.stderr.write(result.trailer);
  }
}

async function renderList<T>(result: ListResult<T>, format: OutputFormat, io: IO, context: CellContext) {
  const { items, columns } = result;
  switch (format) {
    case 'json':
      return (await import('./json')).writeJsonArray(io.stdout, items);
    case 'ndjson':
      return (await import('./json')).writeNdjson(io.stdout, items);
    case 'yaml':
      return (await import('./yaml')).writeYamlSequence(io.stdout, items);
    case 'csv':
      return (await import('./csv')).writeCsv(io.stdout, items, columns, context);
    case 'table': {
      const { text, rows } = await (await import('./table')).formatTable(items, columns, context, io.color);
      if (rows === 0) io.info(result.emptyMessage ?? 'no results');
      else await write(io.stdout, text);
    }
  }
}

async function renderRecord<T>(
  item: T,
  columns: Column<T>[],
  format: OutputFormat,
  io: IO,
  context: CellContext,
) {
  switch (format) {
    case 'json':
      return write(io.stdout, (await import('./json')).formatJson(item));
    case 'ndjson':
      return (await import('./json')).writeNdjson(io.stdout, [item]);
    case 'yaml':
      return write(io.stdout, (await import('./yaml')).formatYaml(item));
    case 'csv':
      return (await import('./csv')).writeCsv(io.stdout, [item], columns, context);
    case 'table':
      return write(io.stdout, (await import('./table')).formatRecordTable(item, columns, context, io.color));
  }
}
