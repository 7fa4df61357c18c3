import { constants } from 'node:os';
import { untilStopped } from './signals';

/** How watching something that goes on on the server ended. */
export type WatchEnding<T> =
  | { kind: 'ended'; last: T }
  | { kind: 'timedOut'; last: T }
  | { kind: 'stopped'; signal: NodeJS.Signals };

/** What shows the snapshots as they come (a live view or progress lines). */
export interface SnapshotDisplay<T> {
  show(snapshot: T): void;
  stop(): void;
}

/**
 * Shows each snapshot of `watch` until it ends, `timeoutMs` passes, or the process is asked to
 * stop (Ctrl-C); the work goes on on the server in every case.
 */
export async function watchUntil<T>(
  first: T,
  watch: (signal: AbortSignal) => AsyncIterable<T>,
  display: SnapshotDisplay<T>,
  timeoutMs: number,
): Promise<WatchEnding<T>> {
  const stopped = untilStopped().then(
    (signal): WatchEnding<T> => ({ kind: 'stopped', signal: signal as NodeJS.Signals }),
  );
  const abort = new AbortController();
  let last = first;
  let timer: NodeJS.Timeout | undefined;
  const watched = (async (): Promise<WatchEnding<T>> => {
    try {
      for await (const snapshot of watch(abort.signal)) {
        last = snapshot;
        display.show(snapshot);
      }
    } catch (error) {
      // Once the race below is decided, the watch is aborted and its end no longer matters.
      if (!abort.signal.aborted) throw error;
    }
    return { kind: 'ended', last };
  })();
  const timedOut = new Promise<WatchEnding<T>>((resolve) => {
    timer = setTimeout(() => resolve({ kind: 'timedOut', last }), timeoutMs);
  });
  try {
    return await Promise.race([watched, timedOut, stopped]);
  } finally {
    clearTimeout(timer);
    abort.abort();
    display.stop();
  }
}

/** What a shell reports for a command a signal ended: 128 + the signal's number. */
export const signalExitCode = (signal: NodeJS.Signals): number => 128 + constants.signals[signal];
