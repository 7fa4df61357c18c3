import { abortError } from './sleep';

/**
 * Passes `body` through chunk by chunk, reading from it only when the consumer asks (nothing is
 * read ahead), and makes its failures the SDK's: `FleetAbortError` as soon as `signal` aborts,
 * whatever the `fetch` in use does with the signal, and `describeError(cause)` when the source
 * breaks. Cancelling the result cancels `body`.
 */
export function guardBody(
  body: ReadableStream<Uint8Array>,
  options: { signal: AbortSignal | undefined; describeError: (cause: unknown) => Error },
): ReadableStream<Uint8Array> {
  const { signal } = options;
  const reader = body.getReader();
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let settled = false;
  const settle = () => {
    settled = true;
    signal?.removeEventListener('abort', onAbort);
  };
  const onAbort = () => {
    if (settled) return;
    settle();
    controller.error(abortError(signal!));
    reader.cancel(signal!.reason).catch(() => {});
  };
  return new ReadableStream<Uint8Array>(
    {
      start(c) {
        controller = c;
        if (signal?.aborted) onAbort();
        else signal?.addEventListener('abort', onAbort, { once: true });
      },
      async pull(c) {
        try {
          const { done, value } = await reader.read();
          if (settled) return;
          if (done) {
            settle();
            c.close();
          } else {
            c.enqueue(value);
          }
        } catch (error) {
          if (settled) return;
          settle();
          c.error(signal?.aborted ? abortError(signal) : options.describeError(error));
        }
      },
      cancel(reason) {
        settle();
        return reader.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
}
