import type { FleetClient, Job, JobResult } from '@fleetops/sdk';

/** Failed devices read per refresh at most: results come in device order, not newest first. */
const MAX_SCANNED = 5000;
const PAGE_SIZE = 1000;

/**
 * The latest failed devices of a job, for the live view: fetched again whenever the job's
 * failed count grows, one fetch at a time. A fetch that fails is tried again at the next
 * growth; the wait itself reports lasting errors.
 */
export class RecentFailures {
  #failedSeen = 0;
  #loading = false;
  #closed = false;

  constructor(
    private readonly fleet: FleetClient,
    private readonly jobId: string,
    /** Receives the latest failures, newest first, after each fetch. */
    private readonly onChange: (failures: JobResult[]) => void,
    private readonly keep = 5,
  ) {}

  /** Fetches the failures again when `job` has more of them than the last fetch saw. */
  notice(job: Job): void {
    const failed = job.counts.failed;
    if (this.#closed || this.#loading || failed <= this.#failedSeen) return;
    this.#loading = true;
    this.#latest()
      .then(
        (failures) => {
          this.#failedSeen = failed;
          if (!this.#closed) this.onChange(failures);
        },
        () => {},
      )
      .finally(() => {
        this.#loading = false;
      });
  }

  /** Stops telling about failures. */
  close(): void {
    this.#closed = true;
  }

  async #latest(): Promise<JobResult[]> {
    const latest: JobResult[] = [];
    let scanned = 0;
    for await (const result of this.fleet.jobs.results(this.jobId, { status: 'failed', limit: PAGE_SIZE })) {
      latest.push(result);
      latest.sort(newestFirst);
      latest.splice(this.keep);
      if (++scanned >= MAX_SCANNED || this.#closed) break;
    }
    return latest;
  }
}

const newestFirst = (a: JobResult, b: JobResult) => (b.completedAt ?? '').localeCompare(a.completedAt ?? '');
