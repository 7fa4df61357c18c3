import { access } from 'node:fs/promises';
import type { AuditExport, FleetClient } from '@fleetops/sdk';
import type { Handler } from '../../command';
import { CliError, ExitCode, UsageError } from '../../errors';
import type { IO } from '../../io';
import {
  type ByteSink,
  continueFileSink,
  createFileSink,
  isStdout,
  refuseToOverwrite,
  stdoutSink,
} from '../../output/byte-sink';
import type { CommandResult, OutputFormat } from '../../output/view';
import { explainSdkError } from '../../sdk-errors';
import { signalExitCode } from '../../watch-until';
import { openExportProgress, summaryLine } from './export-progress';
import {
  checkSameFlags,
  type ExportFlags,
  type ExportResumeRecord,
  ResumeCheckpoints,
  readResumeRecord,
  removeResumeRecord,
  resumeCommand,
  resumePath,
} from './export-resume';
import { type ExportFormat, ExportScanner } from './export-scanner';
import { type EventFilterOptions, eventFilter } from './filters';

/** Options of `audit export`. */
export interface ExportOptions extends EventFilterOptions {
  redact?: boolean;
  out?: string;
  resume?: boolean;
  force?: boolean;
}

/** Where an export starts: the query, and how much of the output an earlier run already wrote. */
interface ExportPlan {
  query: ExportResumeRecord['query'];
  length: number;
  lastId: string | undefined;
}

/** What writing an export needs to know besides its bytes. */
interface ExportRun {
  io: IO;
  fleet: FleetClient;
  out: string;
  format: ExportFormat;
  flags: ExportFlags;
  plan: ExportPlan;
  /** The output is a file in NDJSON or CSV: it keeps a resume record. */
  resumable: boolean;
  /** The signal that stopped the export (Ctrl-C), if one did. */
  stoppedBy: () => NodeJS.Signals | undefined;
}

/**
 * Streams device events to a file (or stdout) in NDJSON, CSV or a JSON array, in constant
 * memory. Beside a file it keeps a resume record, so that `--resume` after a crash or Ctrl-C
 * continues where it stopped and the joined file equals an uninterrupted export byte for byte.
 */
export const handler: Handler<ExportOptions> = async (opts, { client, io, clock, untilStopped }) => {
  const format = exportFormat(opts.output, opts.out);
  const toStdout = isStdout(opts.out);
  checkFlags(opts, format, toStdout);
  const out = opts.out ?? '-';
  const flags = exportFlags(opts, format);
  const fleet = await client();

  let plan: ExportPlan;
  if (opts.resume) {
    const record = await readResumeRecord(out);
    checkSameFlags(out, record.flags, flags);
    plan = { query: record.query, length: record.length, lastId: record.lastId ?? undefined };
  } else {
    if (!toStdout) await refuseToOverwrite(out, opts.force, await overwriteHint(out));
    const filter = await eventFilter(fleet, opts, clock());
    plan = { query: { ...filter, format, redact: flags.redact }, length: 0, lastId: undefined };
  }

  const abort = new AbortController();
  let stoppedBy: NodeJS.Signals | undefined;
  void untilStopped().then((signal) => {
    stoppedBy = signal as NodeJS.Signals;
    abort.abort();
  });
  let exported: AuditExport;
  try {
    const after = plan.lastId === undefined ? {} : { after: plan.lastId };
    exported = await fleet.audit.export({ ...plan.query, ...after }, { signal: abort.signal });
  } catch (error) {
    if (!stoppedBy) throw error;
    io.warn(`stopped (${stoppedBy}) before the export started: nothing was written`);
    return { kind: 'none', exitCode: signalExitCode(stoppedBy) };
  }
  const sink = await openSink(io, out, opts, plan.length).catch(async (error: unknown) => {
    await exported.body.cancel();
    throw error;
  });
  const body =
    opts.resume && format === 'csv' && plan.length > 0 ? withoutHeader(exported.body) : exported.body;
  const resumable = !toStdout && format !== 'json';
  return writeExport(body, sink, {
    io,
    fleet,
    out,
    format,
    flags,
    plan,
    resumable,
    stoppedBy: () => stoppedBy,
  });
};

/** Where the bytes go: stdout, a new file, or the file an interrupted export left. */
async function openSink(io: IO, out: string, opts: ExportOptions, length: number): Promise<ByteSink> {
  if (isStdout(out)) return stdoutSink(io);
  if (opts.resume) return continueFileSink(out, length);
  if (opts.force) await removeResumeRecord(out);
  return createFileSink(out, opts.force);
}

/**
 * Writes the body to the sink as it arrives, with progress, keeping the resume record up to
 * date; on Ctrl-C or a failure the output keeps its whole events and the record says where to
 * go on. The record is removed once the export is complete.
 */
async function writeExport(
  body: AsyncIterable<Uint8Array>,
  sink: ByteSink,
  run: ExportRun,
): Promise<CommandResult> {
  const { io, out, plan, resumable } = run;
  const scanner = new ExportScanner(run.format, plan.length, plan.lastId);
  const checkpoints = resumable ? new ResumeCheckpoints(out, run.flags, plan.query, sink) : undefined;
  await checkpoints?.save(scanner, true);
  const startedAt = Date.now();
  const stats = () => ({ rows: scanner.rows, bytes: scanner.bytes - plan.length });
  const progress = await openExportProgress(io, sink.path ? `exporting to ${out}` : 'exporting');
  const resumeHint = resumable ? `continue it with: ${resumeCommand(run.flags, out)}` : undefined;

  try {
    for await (const chunk of body) {
      await sink.write(chunk);
      scanner.push(chunk);
      progress.update(stats());
      if (checkpoints?.due(scanner)) await checkpoints.save(scanner);
    }
  } catch (error) {
    progress.stop();
    await checkpoints?.save(scanner).catch(() => {});
    await sink.close();
    const signal = run.stoppedBy();
    if (signal) return stopped(io, signal, out, scanner, resumeHint);
    throw interrupted(error, run.fleet, resumeHint);
  }
  progress.stop();
  if (!scanner.end()) {
    await checkpoints?.save(scanner);
    await sink.close();
    throw new CliError(
      'the export ended in the middle of an event',
      ExitCode.error,
      resumeHint ?? 'run the export again',
    );
  }
  await sink.close();
  if (resumable) await removeResumeRecord(out);
  const where = sink.path ? ` to ${out}` : '';
  const after = plan.lastId === undefined ? '' : `, continuing after event ${plan.lastId}`;
  io.info(`exported ${summaryLine(stats(), Date.now() - startedAt)}${where}${after}`);
  return { kind: 'none' };
}

/** `-o` chooses the format; without it (`table`), the file's extension, else NDJSON. */
export function exportFormat(output: OutputFormat, out: string | undefined): ExportFormat {
  if (output === 'ndjson' || output === 'csv' || output === 'json') return output;
  if (output === 'yaml')
    throw new UsageError('audit export writes ndjson, csv or json: give -o ndjson, -o csv or -o json');
  const extension = /\.(ndjson|jsonl|csv|json)$/i.exec(out ?? '')?.[1]?.toLowerCase();
  return extension === 'csv' || extension === 'json' ? extension : 'ndjson';
}

function checkFlags(opts: ExportOptions, format: ExportFormat, toStdout: boolean): void {
  if (opts.resume && opts.force) throw new UsageError('give --resume or --force, not both');
  if (opts.resume && toStdout) {
    throw new UsageError('--resume continues an export to a file: give the --out FILE it was writing');
  }
  if (opts.resume && format === 'json') {
    throw new UsageError(
      '--resume is for ndjson and csv exports: a JSON array cannot be continued',
      'export with -o ndjson or -o csv to be able to resume',
    );
  }
}

/** The flags as given, for the resume record and the command that continues the export. */
function exportFlags(opts: ExportOptions, format: ExportFormat): ExportFlags {
  const given = {
    type: opts.type,
    device: opts.device,
    group: opts.group,
    user: opts.user,
    since: opts.since,
    until: opts.until,
  };
  const defined = Object.fromEntries(Object.entries(given).filter(([, value]) => value !== undefined));
  return { format, redact: opts.redact ?? false, ...defined };
}

/** What to do about an existing output: continue it when an interrupted export left its record. */
async function overwriteHint(out: string): Promise<string> {
  const interrupted = await access(resumePath(out)).then(
    () => true,
    () => false,
  );
  return interrupted
    ? `an interrupted export left ${resumePath(out)}: add --resume to continue it, or --force to start over`
    : 'pass --force to overwrite it';
}

/** A continued CSV export starts with the header again: the output has it already. */
async function* withoutHeader(body: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  let first: Buffer | undefined = Buffer.alloc(0);
  for await (const chunk of body) {
    if (!first) {
      yield chunk;
      continue;
    }
    first = Buffer.concat([first, chunk]);
    const newline = first.indexOf(0x0a);
    if (newline === -1) continue;
    const rest = first.subarray(first.toString('latin1', 0, 3) === 'id,' ? newline + 1 : 0);
    first = undefined;
    if (rest.length > 0) yield rest;
  }
  if (first && first.length > 0) yield first;
}

/** Ctrl-C: the output keeps its whole events, the record says where to go on. */
function stopped(
  io: IO,
  signal: NodeJS.Signals,
  out: string,
  scanner: ExportScanner,
  resumeHint: string | undefined,
): CommandResult {
  const upTo = scanner.lastId === undefined ? 'before the first event' : `after event ${scanner.lastId}`;
  io.warn(`export stopped (${signal}) ${upTo}`);
  if (resumeHint) io.info(`${out} is kept with ${resumePath(out)}; ${resumeHint}`);
  return { kind: 'none', exitCode: signalExitCode(signal) };
}

/** A failure mid-stream, explained, with how to continue. */
function interrupted(error: unknown, fleet: FleetClient, resumeHint: string | undefined): unknown {
  const explained = explainSdkError(error, fleet.baseUrl);
  const message = explained instanceof Error ? explained.message : String(explained);
  return new CliError(`the export was interrupted: ${message}`, ExitCode.error, resumeHint, error);
}
