/** The formats of an audit export. */
export type ExportFormat = 'ndjson' | 'csv' | 'json';

const NEWLINE = 0x0a;
const QUOTE = 0x22;
/** Enough of a record's start to read its event id. */
const HEAD_BYTES = 48;

/**
 * Where a record starts with its event id: NDJSON and the JSON array put `id` first in each
 * event (the array's first line starts with `[`); a CSV row starts with the `id` column. The
 * CSV header matches none, so it is not counted as an event.
 */
const RECORD_ID: Record<ExportFormat, RegExp> = {
  ndjson: /^\s*\{\s*"id"\s*:\s*"(\d+)"/,
  json: /^\s*\[?\s*\{\s*"id"\s*:\s*"(\d+)"/,
  csv: /^"?(\d+)"?,/,
};

/**
 * Follows an export's bytes as they are written, without keeping them: where the last whole
 * event ends and what its id is, so that an interrupted export can be cut back to whole events
 * and continued after that id. Every record is one line: JSON text never holds a raw newline,
 * and a CSV newline inside quotes does not end its row.
 */
export class ExportScanner {
  /** Bytes seen, from the start of the output. */
  bytes: number;
  /** Bytes up to the end of the last whole record, its newline included. */
  complete: number;
  /** Id of the last whole event; undefined before the first. */
  lastId: string | undefined;
  /** Whole events seen by this scanner. */
  rows = 0;
  #head = '';
  #inQuotes = false;

  /** `offset` and `lastId`: where an earlier, interrupted run of the export left off. */
  constructor(
    readonly format: ExportFormat,
    offset = 0,
    lastId?: string,
  ) {
    this.bytes = offset;
    this.complete = offset;
    this.lastId = lastId;
  }

  /** Notes the next bytes of the output. */
  push(chunk: Uint8Array): void {
    const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let start = 0;
    while (start < bytes.length) {
      const end = this.#recordEnd(bytes, start);
      this.#noteHead(bytes, start, end === -1 ? bytes.length : end);
      if (end === -1) {
        this.bytes += bytes.length - start;
        return;
      }
      this.bytes += end + 1 - start;
      this.#endRecord();
      start = end + 1;
    }
  }

  /**
   * The output ended. The JSON array's last event has no newline after it; in NDJSON and CSV
   * every record ends with one, so bytes after the last newline mean the output was cut short:
   * returns false then.
   */
  end(): boolean {
    if (this.bytes === this.complete) return true;
    if (this.format !== 'json') return false;
    this.#endRecord();
    return true;
  }

  /** The index of the newline that ends the current record, or -1 when `bytes` ends first. */
  #recordEnd(bytes: Buffer, from: number): number {
    if (this.format !== 'csv') return bytes.indexOf(NEWLINE, from);
    let position = from;
    let newline = bytes.indexOf(NEWLINE, position);
    for (;;) {
      if (this.#inQuotes) {
        // A doubled quote inside a quoted field closes and reopens it: the state comes out right.
        const close = bytes.indexOf(QUOTE, position);
        if (close === -1) return -1;
        this.#inQuotes = false;
        position = close + 1;
        if (newline !== -1 && newline < position) newline = bytes.indexOf(NEWLINE, position);
        continue;
      }
      const open = bytes.indexOf(QUOTE, position);
      if (open === -1 || (newline !== -1 && newline < open)) return newline;
      this.#inQuotes = true;
      position = open + 1;
    }
  }

  #noteHead(bytes: Buffer, start: number, end: number): void {
    const wanted = HEAD_BYTES - this.#head.length;
    if (wanted > 0) this.#head += bytes.toString('latin1', start, Math.min(end, start + wanted));
  }

  #endRecord(): void {
    const id = RECORD_ID[this.format].exec(this.#head)?.[1];
    if (id !== undefined) {
      this.lastId = id;
      this.rows++;
    }
    this.#head = '';
    this.complete = this.bytes;
  }
}
