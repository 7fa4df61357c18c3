import { type CsvError, type Info, parse } from 'csv-parse/sync';

/** One row of a CSV file and the line it starts on. */
export interface CsvRow {
  cells: string[];
  line: number;
}

/**
 * The rows of a CSV (blank lines and `#` comment lines skipped, cells trimmed), each with the
 * line it starts on. Malformed CSV throws `invalid`'s error, given the parser's message.
 */
export function readCsvRows(content: string, invalid: (message: string) => Error): CsvRow[] {
  try {
    // With `info`, each row comes as { record, info }: the library's types do not say so.
    const parsed = parse(content.replace(/^\uFEFF/, ''), {
      comment: '#',
      comment_no_infix: true,
      skip_empty_lines: true,
      trim: true,
      info: true,
    }) as unknown as { record: string[]; info: Info }[];
    // `lines` is the line a row ends on; a quoted cell may span several.
    return parsed.map(({ record, info }) => ({
      cells: record,
      line: info.lines - record.reduce((n, cell) => n + (cell.match(/\r\n|\r|\n/g)?.length ?? 0), 0),
    }));
  } catch (error) {
    const csv = error as CsvError;
    if (typeof csv.code !== 'string' || !csv.code.startsWith('CSV_')) throw error;
    throw invalid(`not a valid CSV: ${csv.message}`);
  }
}
