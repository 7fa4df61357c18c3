import type { FleetClient, Job, JobResult } from '@fleetops/sdk';
import type { IO } from '../../io';
import { RecentFailures } from './failures';
import { CompletionRate, finished, ProgressThrottle, progressLine, tally } from './progress';

/** How often the rate, the ETA and the elapsed time are brought up to date. */
const TICK_MS = 1000;

/** Shows a job's progress while it is followed. */
export interface JobDisplay {
  /** A new snapshot of the job. */
  show(job: Job): void;
  stop(): void;
}

/**
 * Shows a followed job: a live Ink view for a person at a terminal, plain progress lines on
 * stderr otherwise (on a change, at most every few seconds), nothing with `--quiet`.
 */
export async function openJobDisplay(fleet: FleetClient, io: IO, job: Job): Promise<JobDisplay> {
  if (io.quiet) return { show() {}, stop() {} };
  const progress = new Progress(job);
  return io.isNonInteractiveOrCI() ? printLines(io, progress) : drawLiveView(fleet, io, progress);
}

/** The latest snapshot of a followed job, and how fast its devices finish. */
class Progress {
  readonly rate = new CompletionRate();

  constructor(public latest: Job) {
    this.sample();
  }

  update(job: Job): void {
    this.latest = job;
    this.sample();
  }

  /** Also called on each tick, so that the rate of a stalled job falls instead of staying put. */
  sample(): void {
    this.rate.record(finished(tally(this.latest.counts)), Date.now());
  }
}

function printLines(io: IO, progress: Progress): JobDisplay {
  const throttle = new ProgressThrottle();
  const print = () => {
    if (throttle.due(progress.latest, Date.now()))
      io.info(progressLine(progress.latest, progress.rate.perSecond()));
  };
  print();
  const timer = setInterval(() => {
    progress.sample();
    print();
  }, TICK_MS);
  return {
    show(job) {
      progress.update(job);
      print();
    },
    stop: () => clearInterval(timer),
  };
}

async function drawLiveView(fleet: FleetClient, io: IO, progress: Progress): Promise<JobDisplay> {
  const { renderJobView } = await import('../../views/job-view');
  const startedAt = Date.now();
  let failures: JobResult[] = [];
  const props = () => ({
    job: progress.latest,
    perSecond: progress.rate.perSecond(),
    elapsedMs: Date.now() - startedAt,
    failures,
  });
  const view = renderJobView(props(), io.stderr);
  const recent = new RecentFailures(fleet, progress.latest.id, (latest) => {
    failures = latest;
    view.update(props());
  });
  recent.notice(progress.latest);
  const timer = setInterval(() => {
    progress.sample();
    view.update(props());
  }, TICK_MS);
  return {
    show(job) {
      progress.update(job);
      recent.notice(job);
      view.update(props());
    },
    stop() {
      clearInterval(timer);
      recent.close();
      view.stop();
    },
  };
}
