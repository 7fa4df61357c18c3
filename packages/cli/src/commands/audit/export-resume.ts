import { readFile, rm } from 'node:fs/promises';
import { writeFileAtomically } from '../../atomic-file';
import { CliError, ExitCode, UsageError } from '../../errors';
import type { ByteSink } from '../../output/byte-sink';
import { canonicalJson } from '../bulk/resume';
import type { ExportFormat, ExportScanner } from './export-scanner';
import type { EventFilter } from './filters';
import { kebab } from './options';

/** The flags an export was started with, as given: running it again with `--resume` must give the same. */
export interface ExportFlags {
  format: ExportFormat;
  redact: boolean;
  type?: string[];
  device?: string;
  group?: string;
  user?: string;
  since?: string;
  until?: string;
}

/** What is kept beside an export's output while it runs, to continue it where it stopped. */
export interface ExportResumeRecord {
  flags: ExportFlags;
  /** The query sent: times made absolute when the export started, so the continuation asks the same. */
  query: EventFilter & { format: ExportFormat; redact: boolean };
  /** Bytes of the output that hold whole events (and the CSV header). */
  length: number;
  /** The id of the last event in those bytes; null before the first. */
  lastId: string | null;
  updatedAt: string;
}

/** The record is brought up to date at least this often while data arrives… */
const SAVE_EVERY_MS = 1000;
/** …and after at most this many new bytes: each save waits for the disk, so not too often. */
const SAVE_EVERY_BYTES = 64 << 20;

/** Where the resume record of the output `out` lives. */
export const resumePath = (out: string): string => `${out}.resume.json`;

/** Saves the record atomically: a kill mid-write leaves the previous one whole. */
export function saveResumeRecord(out: string, record: ExportResumeRecord): Promise<void> {
  return writeFileAtomically(resumePath(out), `${JSON.stringify(record, null, 2)}\n`);
}

export function removeResumeRecord(out: string): Promise<void> {
  return rm(resumePath(out), { force: true });
}

/** The record of an interrupted export to `out`; a usage error when there is none. */
export async function readResumeRecord(out: string): Promise<ExportResumeRecord> {
  const path = resumePath(out);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    throw new UsageError(
      `nothing to resume: ${path} does not exist`,
      'an export that completed removes it; run the export without --resume',
    );
  }
  const record = parseRecord(text);
  if (!record) {
    throw new CliError(
      `${path} is not a resume record fleetops can read`,
      ExitCode.error,
      'start over with --force',
    );
  }
  return record;
}

function parseRecord(text: string): ExportResumeRecord | undefined {
  try {
    const record = JSON.parse(text) as ExportResumeRecord;
    const valid =
      typeof record.flags === 'object' &&
      typeof record.query === 'object' &&
      Number.isSafeInteger(record.length) &&
      record.length >= 0 &&
      (record.lastId === null || /^\d+$/.test(String(record.lastId)));
    return valid ? record : undefined;
  } catch {
    return undefined;
  }
}

/** Flag names as typed, for messages. */
const FLAG_NAMES: Record<keyof ExportFlags, string> = {
  format: '-o',
  redact: '--redact',
  type: '--type',
  device: '--device',
  group: '--group',
  user: '--user',
  since: '--since',
  until: '--until',
};

/**
 * Refuses to continue an export with other flags than it was started with: the joined output
 * would mix two queries. The error names each flag that differs.
 */
export function checkSameFlags(out: string, started: ExportFlags, now: ExportFlags): void {
  const keys = Object.keys(FLAG_NAMES) as (keyof ExportFlags)[];
  const differences = keys
    .filter((key) => canonicalJson(started[key] ?? null) !== canonicalJson(now[key] ?? null))
    .map((key) => `${FLAG_NAMES[key]} was ${shown(started[key])}, now ${shown(now[key])}`);
  if (differences.length > 0) {
    throw new UsageError(
      `${out} was started with other flags: ${differences.join('; ')}`,
      'give the same flags with --resume, or start over with --force',
    );
  }
}

function shown(value: ExportFlags[keyof ExportFlags]): string {
  if (value === undefined || value === false) return '(not given)';
  if (value === true) return 'given';
  return Array.isArray(value) ? value.join(',') : value;
}

/** Keeps the resume record up to date, after the data it describes is on disk. */
export class ResumeCheckpoints {
  #savedAt = 0;
  #savedLength = -1;
  #savedLastId: string | undefined;

  constructor(
    private readonly out: string,
    private readonly flags: ExportFlags,
    private readonly query: ExportResumeRecord['query'],
    private readonly sink: ByteSink,
  ) {}

  /** Due once the first event is whole, then by time and by bytes. */
  due(scanner: ExportScanner): boolean {
    if (scanner.complete === this.#savedLength) return false;
    return (
      (this.#savedLastId === undefined && scanner.lastId !== undefined) ||
      Date.now() - this.#savedAt >= SAVE_EVERY_MS ||
      scanner.complete - this.#savedLength >= SAVE_EVERY_BYTES
    );
  }

  async save(scanner: ExportScanner, always = false): Promise<void> {
    if (!always && scanner.complete === this.#savedLength) return;
    await this.sink.sync();
    await saveResumeRecord(this.out, {
      flags: this.flags,
      query: this.query,
      length: scanner.complete,
      lastId: scanner.lastId ?? null,
      updatedAt: new Date().toISOString(),
    });
    this.#savedAt = Date.now();
    this.#savedLength = scanner.complete;
    this.#savedLastId = scanner.lastId;
  }
}

/** The command that continues the export, with the flags it was started with. */
export function resumeCommand(flags: ExportFlags, out: string): string {
  const words = ['fleetops', 'audit', 'export', '-o', flags.format];
  if (flags.type) words.push('--type', flags.type.map(kebab).join(','));
  for (const key of ['device', 'group', 'user', 'since', 'until'] as const) {
    const value = flags[key];
    if (value !== undefined) words.push(`--${key}`, value);
  }
  if (flags.redact) words.push('--redact');
  words.push('--out', out, '--resume');
  return words.map(shellWord).join(' ');
}

/** A word as a POSIX shell reads it back: quoted when it holds anything but plain characters. */
const shellWord = (word: string): string =>
  /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
