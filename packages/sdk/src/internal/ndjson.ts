/** One line of an NDJSON body, numbered from 1 as an editor would. */
export interface NdjsonLine {
  number: number;
  text: string;
}

/**
 * The lines of an NDJSON body, as the chunks arrive: a line split across chunks (or inside a
 * multi-byte character) is joined, a last line without its newline is kept, a `\r` before the
 * newline is dropped and blank lines are skipped (they still count in the numbering). Stopping
 * the loop early cancels `body`.
 */
export async function* ndjsonLines(
  body: ReadableStream<Uint8Array>,
): AsyncGenerator<NdjsonLine, void, undefined> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let pending = '';
  let number = 0;
  let finished = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      let lines: string[];
      if (done) {
        const last = pending + decoder.decode();
        lines = last === '' ? [] : [last];
      } else {
        lines = (pending + decoder.decode(value, { stream: true })).split('\n');
        pending = lines.pop()!;
      }
      for (const line of lines) {
        number++;
        const text = line.endsWith('\r') ? line.slice(0, -1) : line;
        if (text.trim() !== '') yield { number, text };
      }
      if (done) break;
    }
    finished = true;
  } finally {
    if (!finished) await reader.cancel().catch(() => {});
    reader.releaseLock();
  }
}
