import type { Job, JobCounts } from '@fleetops/sdk';

/** A job's devices, grouped as a person reads them. */
export interface JobTally {
  /** Devices that run the command: every device of the job but the skipped ones. */
  total: number;
  succeeded: number;
  failed: number;
  expired: number;
  canceled: number;
  /** Queued, delivered or acknowledged: not finished yet. */
  pending: number;
  /** Devices that never got the command (a BYOD wipe, a device already locked…). */
  skipped: number;
}

/** Groups a job's counts per device status. */
export function tally(counts: JobCounts): JobTally {
  const pending = counts.queued + counts.delivered + counts.acknowledged;
  const { succeeded, failed, expired, canceled, skipped } = counts;
  return {
    total: pending + succeeded + failed + expired + canceled,
    succeeded,
    failed,
    expired,
    canceled,
    pending,
    skipped,
  };
}

/** Devices whose command ended without success: failed, expired or canceled. */
export const unsuccessful = (t: JobTally): number => t.failed + t.expired + t.canceled;

/** Devices whose command reached a final status. */
export const finished = (t: JobTally): number => t.succeeded + unsuccessful(t);

/** `12s`, `2m05s`, `1h02m`. */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds}s`;
  const pad = (n: number) => String(n).padStart(2, '0');
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m${pad(seconds % 60)}s`;
  return `${Math.floor(seconds / 3600)}h${pad(Math.floor(seconds / 60) % 60)}m`;
}

/** `410/s`, or `0.5/s` for a slow rate. */
export const formatRate = (perSecond: number): string =>
  `${perSecond < 10 ? Number(perSecond.toFixed(1)) : Math.round(perSecond)}/s`;

/** Milliseconds until the pending devices finish at `perSecond`; undefined when nothing finishes. */
export function etaMs(t: JobTally, perSecond: number | undefined): number | undefined {
  if (!perSecond || perSecond <= 0 || t.pending === 0) return undefined;
  return (t.pending / perSecond) * 1000;
}

/** `1200/2000 succeeded, 3 failed, 797 pending`, with expired, canceled and skipped when there are any. */
export function countsSummary(t: JobTally): string {
  return [
    `${t.succeeded}/${t.total} succeeded`,
    `${t.failed} failed`,
    t.expired > 0 && `${t.expired} expired`,
    t.canceled > 0 && `${t.canceled} canceled`,
    `${t.pending} pending`,
    t.skipped > 0 && `${t.skipped} skipped`,
  ]
    .filter(Boolean)
    .join(', ');
}

/**
 * One plain progress line, e.g.
 * `job 0193c2d1-… running: 1200/2000 succeeded, 3 failed, 797 pending, 410/s, ETA 2s`, with
 * the rate and ETA only while the job runs and once they are known. The id is whole: ids
 * made in the same minute share their first characters.
 */
export function progressLine(job: Job, perSecond?: number): string {
  const t = tally(job.counts);
  const running = job.status === 'running';
  const eta = running ? etaMs(t, perSecond) : undefined;
  const parts = [
    countsSummary(t),
    running && perSecond !== undefined && formatRate(perSecond),
    eta !== undefined && `ETA ${formatDuration(eta)}`,
  ];
  return `job ${job.id} ${job.status}: ${parts.filter(Boolean).join(', ')}`;
}

/** Devices finished per second over the last `windowMs`, from samples of how many had finished when. */
export class CompletionRate {
  readonly #samples: { at: number; finished: number }[] = [];

  constructor(readonly windowMs = 10_000) {}

  /** Records that `finished` devices had finished at `at` (milliseconds). */
  record(finished: number, at: number): void {
    this.#samples.push({ at, finished });
    // Keep one sample at least a window old, so the rate spans the whole window.
    while (this.#samples.length > 2 && at - this.#samples[1]!.at >= this.windowMs) this.#samples.shift();
  }

  /** The rate, or undefined until two samples lie apart in time. */
  perSecond(): number | undefined {
    const first = this.#samples[0];
    const last = this.#samples.at(-1);
    if (!first || !last || last.at <= first.at) return undefined;
    return ((last.finished - first.finished) * 1000) / (last.at - first.at);
  }
}

/**
 * Decides when a plain progress line is worth printing: at once when the job's status changes,
 * otherwise when its counts changed and the last line is at least `everyMs` old.
 */
export class ProgressThrottle {
  #status: string | undefined;
  #counts = '';
  #printedAt = Number.NEGATIVE_INFINITY;

  constructor(readonly everyMs = 5000) {}

  /** Whether to print a line about `job` at `now` (milliseconds); remembers it when so. */
  due(job: Job, now: number): boolean {
    const counts = JSON.stringify(job.counts);
    const statusChanged = job.status !== this.#status;
    if (!statusChanged && (counts === this.#counts || now - this.#printedAt < this.everyMs)) return false;
    this.#status = job.status;
    this.#counts = counts;
    this.#printedAt = now;
    return true;
  }
}
