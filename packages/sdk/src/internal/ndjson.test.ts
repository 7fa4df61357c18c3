import { describe, expect, it } from 'vitest';
import { ndjsonLines } from './ndjson';

/** A body that arrives in exactly these chunks. */
function chunked(...chunks: (string | Uint8Array)[]) {
  const encoder = new TextEncoder();
  let cancelled = false;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      const next = chunks.shift();
      if (next === undefined) controller.close();
      else controller.enqueue(typeof next === 'string' ? encoder.encode(next) : next);
    },
    cancel() {
      cancelled = true;
    },
  });
  return { body, cancelled: () => cancelled };
}

async function lines(...chunks: (string | Uint8Array)[]) {
  const found: [number, string][] = [];
  for await (const line of ndjsonLines(chunked(...chunks).body)) found.push([line.number, line.text]);
  return found;
}

describe('ndjsonLines', () => {
  it('joins a line split across chunks and keeps a last line without newline', async () => {
    expect(await lines('{"id":"1"}\n{"id"', ':"2"}\n{"id":"3"}')).toEqual([
      [1, '{"id":"1"}'],
      [2, '{"id":"2"}'],
      [3, '{"id":"3"}'],
    ]);
  });

  it('joins a character whose bytes are split across chunks', async () => {
    const bytes = new TextEncoder().encode('{"name":"Zoë"}\n');
    const cut = bytes.indexOf(0xc3) + 1;
    expect(await lines(bytes.slice(0, cut), bytes.slice(cut))).toEqual([[1, '{"name":"Zoë"}']]);
  });

  it('drops \\r before the newline, skips blank lines and numbers lines as an editor would', async () => {
    expect(await lines('a\r\n\n  \nb\n', '\n')).toEqual([
      [1, 'a'],
      [4, 'b'],
    ]);
  });

  it('yields nothing for an empty body', async () => {
    expect(await lines()).toEqual([]);
    expect(await lines('')).toEqual([]);
  });

  it('cancels the body when the loop stops early', async () => {
    const { body, cancelled } = chunked('a\nb\n', 'c\n');
    for await (const line of ndjsonLines(body)) if (line.text === 'a') break;
    expect(cancelled()).toBe(true);
  });
});
