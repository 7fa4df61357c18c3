/** A scalar as it appears in a table cell or a CSV field. */
export type Cell = string | number | boolean | null | undefined;

/** What a cell may depend on besides the item: relative times only for a person at a TTY. */
export interface CellContext {
  interactive: boolean;
  now: Date;
}

/** One column of a table or CSV: `key` names it in CSV, `header` in a table. */
export interface Column<T> {
  key: string;
  header: string;
  // Method syntax keeps a Column<Device> usable where a Column<unknown> is expected.
  value(item: T, context: CellContext): Cell;
}

/** The output formats of `-o`. */
export const OUTPUT_FORMATS = ['table', 'json', 'ndjson', 'csv', 'yaml'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** Reports some commands write whole themselves (`compliance scan -o junit`): `-o` takes them only there. */
export const REPORT_FORMATS = ['junit', 'html'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** Data a handler hands back, and how to show it; json, ndjson and yaml print the items as they are. */
export type CommandResult<T = unknown> = ListResult<T> | RecordResult<T> | NoResult;

/** Many items, possibly streamed page by page. */
export interface ListResult<T> {
  kind: 'list';
  items: Iterable<T> | AsyncIterable<T>;
  columns: Column<T>[];
  /** Shown on stderr in table format when there is no item. */
  emptyMessage?: string;
  exitCode?: number;
}

/** One item: a two-column table of fields, or the item itself in machine formats. */
export interface RecordResult<T> {
  kind: 'record';
  item: T;
  columns: Column<T>[];
  /** Text for people printed after the record: on stdout in table format, else on stderr. */
  trailer?: string;
  exitCode?: number;
}

/** Nothing to print on stdout (the handler already told the person what happened). */
export interface NoResult {
  kind: 'none';
  exitCode?: number;
}

/** A list result. */
export const list = <T>(
  items: ListResult<T>['items'],
  columns: Column<T>[],
  extra: Partial<ListResult<T>> = {},
) => ({ kind: 'list', items, columns, ...extra }) satisfies ListResult<T>;

/** A record result. */
export const record = <T>(item: T, columns: Column<T>[], extra: Partial<RecordResult<T>> = {}) =>
  ({ kind: 'record', item, columns, ...extra }) satisfies RecordResult<T>;
