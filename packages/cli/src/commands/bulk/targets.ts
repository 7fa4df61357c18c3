import type { TargetKey, TargetRef } from '@fleetops/protocol';
import { readCsvRows } from '../../csv-rows';
import { CliError, ExitCode } from '../../errors';

/** A device named by a list, always with how and on which line. */
export type ListedTarget = Required<TargetRef> & { by: TargetKey };

/** Header names of the column that names the devices, in the order one is preferred. */
const KEY_COLUMNS: readonly TargetKey[] = ['id', 'serial', 'imei'];

/** Matches a line that a person may leave out of a list: blank, or a `#` comment. */
const SKIPPED_LINE = /^\s*(#.*)?$/;

/** A list of targets that cannot be used as it is: exit 8, nothing is sent. */
export class TargetListError extends CliError {
  override name = 'TargetListError';
  constructor(source: string, line: number | undefined, problem: string) {
    super(`${source}${line === undefined ? '' : `:${line}`}: ${problem}`, ExitCode.refusedByGuard);
  }
}

/**
 * The devices a list names, each with its line: plain lines of device ids (blank lines and
 * `#` comments skipped), or a CSV whose header names an `id`, `serial` or `imei` column. A
 * CSV row with a blank cell in that column is an error: a blank never stands for "any".
 * `source` names the list in errors (a path, or `stdin`).
 */
export function parseTargetList(text: string, source: string): ListedTarget[] {
  const content = text.replace(/^\uFEFF/, '');
  const lines = content.split(/\r\n|\r|\n/);
  const first = lines.findIndex((line) => !SKIPPED_LINE.test(line));
  if (first === -1) throw new TargetListError(source, undefined, 'names no device');
  return isCsvHeader(lines[first]!) ? parseCsv(content, source) : parsePlain(lines);
}

/** A first line with a comma or a quote, or one of the key column names alone, starts a CSV. */
function isCsvHeader(line: string): boolean {
  return /[,"]/.test(line) || (KEY_COLUMNS as readonly string[]).includes(line.trim().toLowerCase());
}

function parsePlain(lines: string[]): ListedTarget[] {
  return lines.flatMap((line, index) =>
    SKIPPED_LINE.test(line) ? [] : [{ by: 'id' as const, value: line.trim(), line: index + 1 }],
  );
}

function parseCsv(content: string, source: string): ListedTarget[] {
  const rows = readCsvRows(content, (message) => new TargetListError(source, undefined, message));
  const [header, ...records] = rows;
  const names = header!.cells.map((cell) => cell.toLowerCase());
  const by = KEY_COLUMNS.find((key) => names.includes(key));
  if (!by) {
    throw new TargetListError(
      source,
      header!.line,
      `the CSV header names no id, serial or imei column (it has: ${header!.cells.join(', ')})`,
    );
  }
  const column = names.indexOf(by);
  if (records.length === 0) throw new TargetListError(source, undefined, 'names no device');
  return records.map(({ cells, line }) => {
    const value = cells[column]!;
    if (value === '') {
      throw new TargetListError(source, line, `the ${by} cell is blank: every row must name its device`);
    }
    return { by, value, line };
  });
}
