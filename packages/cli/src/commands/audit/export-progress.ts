import type { IO } from '../../io';
import { CompletionRate, formatDuration, formatRate } from '../jobs/progress';

/** How an export is going. */
export interface ExportStats {
  rows: number;
  bytes: number;
}

/** Shows an export's progress on stderr while it runs. */
export interface ExportProgress {
  update(stats: ExportStats): void;
  /** Removes a live line; plain lines stay. */
  stop(): void;
}

/** A plain progress line at most this often. */
const LINE_EVERY_MS = 5000;
/** How often the live line is brought up to date. */
const LIVE_EVERY_MS = 200;

/** `512 B`, `3.4 kB`, `12.0 MB`, `1.2 GB`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

/** `12000 events, 3.4 MB, 4100/s`, the rate once it is known. */
export function progressLine({ rows, bytes }: ExportStats, perSecond: number | undefined): string {
  const rate = perSecond === undefined ? '' : `, ${formatRate(perSecond)}`;
  return `${rows} events, ${formatBytes(bytes)}${rate}`;
}

/** `12000 events (3.4 MB) in 3s`. */
export function summaryLine({ rows, bytes }: ExportStats, elapsedMs: number): string {
  return `${rows} events (${formatBytes(bytes)}) in ${formatDuration(elapsedMs)}`;
}

/**
 * A spinner line with events, bytes and rate for a person at a terminal; outside a terminal or
 * in CI a plain line on stderr at most every five seconds; nothing with `--quiet`.
 */
export async function openExportProgress(io: IO, what: string): Promise<ExportProgress> {
  if (io.quiet) return { update() {}, stop() {} };
  const plain = io.isNonInteractiveOrCI();
  const everyMs = plain ? LINE_EVERY_MS : LIVE_EVERY_MS;
  const rate = new CompletionRate();
  const startedAt = Date.now();
  rate.record(0, startedAt);
  let shownAt = startedAt;
  const due = (stats: ExportStats): string | undefined => {
    const now = Date.now();
    if (now - shownAt < everyMs) return undefined;
    shownAt = now;
    rate.record(stats.rows, now);
    return `${what}: ${progressLine(stats, rate.perSecond())}`;
  };
  if (plain) {
    return {
      update(stats) {
        const line = due(stats);
        if (line) io.info(line);
      },
      stop() {},
    };
  }
  const { default: ora } = await import('ora');
  const spinner = ora({ text: what, stream: io.stderr, color: io.stderrColor ? 'cyan' : false }).start();
  return {
    update(stats) {
      const line = due(stats);
      if (line) spinner.text = line;
    },
    stop: () => spinner.stop(),
  };
}
