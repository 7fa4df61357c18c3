import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomically } from '../../atomic-file';

/** Who sends a job request, and where: the same request elsewhere is another request. */
export interface RequestIdentity {
  server: string;
  orgId: string;
  tokenId: string;
}

/** What is kept on disk while a job is created and followed. */
export interface RunRecord {
  runId: string;
  startedAt: string;
  jobId?: string;
  /** The number of devices confirmed at the prompt, sent as the job's `expectCount`. */
  confirmedCount?: number;
}

/**
 * Server side, an `Idempotency-Key` answers with the first job for 24 hours; a record older
 * than that would not find its job again.
 */
const RECORD_LIFETIME_MS = 24 * 3600 * 1000;

/** One run of a job request, resumable: the same request after an interruption gets the same key. */
export interface JobRun {
  /** The `Idempotency-Key` of the create request. */
  readonly idempotencyKey: string;
  /** The record of an interrupted earlier run of the same request, if there is one. */
  readonly earlier: RunRecord | undefined;
  /** Saves the run before the job is requested, so that an interruption can be resumed. */
  begin(extra?: Pick<RunRecord, 'confirmedCount'>): Promise<void>;
  /** Notes the job the request created. */
  created(jobId: string): Promise<void>;
  /** Forgets the run: its job is final, or the request was refused. */
  finish(): Promise<void>;
}

/**
 * Opens the run of a job request. The record lives in `dir`, a file per request: the hash of
 * the server, the org, the token and the canonical JSON of the body. It holds the run id, from
 * which the `Idempotency-Key` is derived, so running the same command again after a crash or
 * Ctrl-C sends the same key, and the server answers with the job the first run created.
 */
export async function openJobRun(
  dir: string,
  identity: RequestIdentity,
  body: unknown,
  now: Date,
): Promise<JobRun> {
  const hash = createHash('sha256')
    .update(canonicalJson({ ...identity, body }))
    .digest('hex');
  const file = join(dir, `${hash}.json`);
  const earlier = await readRecord(file, now);
  let record: RunRecord = earlier ?? { runId: randomUUID(), startedAt: now.toISOString() };
  const save = async (next: RunRecord) => {
    record = next;
    await mkdir(dir, { recursive: true, mode: 0o700 });
    // A cut record would read as "no earlier run" and send a new key.
    await writeFileAtomically(file, `${JSON.stringify(record)}\n`);
  };
  return {
    idempotencyKey: `fleetops-${record.runId}-${hash.slice(0, 32)}`,
    earlier,
    begin: (extra) => save({ ...record, ...extra }),
    created: (jobId) => save({ ...record, jobId }),
    finish: () => rm(file, { force: true }),
  };
}

async function readRecord(file: string, now: Date): Promise<RunRecord | undefined> {
  let record: RunRecord;
  try {
    record = JSON.parse(await readFile(file, 'utf8')) as RunRecord;
  } catch {
    // No record, or one a crash cut short: this is a fresh run.
    return undefined;
  }
  const age = now.getTime() - Date.parse(record.startedAt);
  return typeof record.runId === 'string' && age < RECORD_LIFETIME_MS ? record : undefined;
}

/** JSON with the keys of every object sorted, so equal requests have equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    item && typeof item === 'object' && !Array.isArray(item)
      ? Object.fromEntries(Object.entries(item).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : item,
  );
}
