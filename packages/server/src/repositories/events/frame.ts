import { pipeline, type Readable, Transform, type TransformCallback } from 'node:stream';
import { EXPORT_CSV_COLUMNS, type ExportFormat } from '@fleetops/protocol';

const NEWLINE = 0x0a;
const JSON_SEPARATOR = Buffer.from(',\n');

/**
 * Turns newline-terminated JSON lines into one JSON array: `[` + the lines joined by `,\n` + `]`.
 * Every newline of the input ends a line (JSON text has none of its own), wherever chunks split.
 */
class JsonArray extends Transform {
  private started = false;
  /** A line ended at the end of the last chunk: its separator waits to see if another follows. */
  private lineEnded = false;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    if (chunk.length === 0) {
      done();
      return;
    }
    const parts: Buffer[] = [];
    if (!this.started) parts.push(Buffer.from('['));
    if (this.lineEnded) parts.push(JSON_SEPARATOR);
    this.started = true;
    this.lineEnded = false;
    let start = 0;
    for (let end = chunk.indexOf(NEWLINE); end !== -1; end = chunk.indexOf(NEWLINE, start)) {
      parts.push(chunk.subarray(start, end));
      start = end + 1;
      if (start < chunk.length) parts.push(JSON_SEPARATOR);
      else this.lineEnded = true;
    }
    if (start < chunk.length) parts.push(chunk.subarray(start));
    done(null, Buffer.concat(parts));
  }

  override _flush(done: TransformCallback): void {
    done(null, this.started ? ']' : '[]');
  }
}

/** Puts `prefix` before the lines (the CSV header). */
class Prefixed extends Transform {
  private started = false;

  constructor(private readonly prefix: string) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    if (!this.started) this.push(this.prefix);
    this.started = true;
    done(null, chunk);
  }

  override _flush(done: TransformCallback): void {
    done(null, this.started ? undefined : this.prefix);
  }
}

export const CSV_HEADER = `${EXPORT_CSV_COLUMNS.join(',')}\n`;

/**
 * The export's body from its newline-terminated lines: NDJSON as is, CSV after its header (not on
 * a resumed export, which continues a file that has one), JSON as one array.
 */
export function frame(lines: Readable, format: ExportFormat, resumed: boolean): Readable {
  if (format === 'ndjson' || (format === 'csv' && resumed)) return lines;
  const framing = format === 'csv' ? new Prefixed(CSV_HEADER) : new JsonArray();
  // Errors and an early end on either side reach the other: the response fails, the query stops.
  return pipeline(lines, framing, () => {});
}
