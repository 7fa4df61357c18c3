import { once } from 'node:events';

/** Writes `text` and waits for the stream to drain when its buffer is full, so a long stream stays in constant memory. */
export async function write(stream: NodeJS.WritableStream, text: string | Uint8Array): Promise<void> {
  if (!stream.write(text)) await once(stream, 'drain');
}

/** The items of a sync or async iterable, one at a time. */
export async function* each<T>(items: Iterable<T> | AsyncIterable<T>): AsyncGenerator<T> {
  yield* items;
}
