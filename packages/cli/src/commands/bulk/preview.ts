import type { JobPreview, PreviewDevice } from '@fleetops/protocol';
import type { FleetClient } from '@fleetops/sdk';
import { ExitCode } from '../../errors';
import type { IO } from '../../io';
import { type Column, type CommandResult, list, type OutputFormat } from '../../output/view';
import { write } from '../../output/write';
import { spin } from '../../spinner';
import { explainRefusal, type RefusalContext, unresolvedLines } from './refusals';

/** Devices a dry run lists at a terminal; machine formats get every device the server gives. */
const TABLE_SAMPLE = 20;
/** The most devices a preview lists. */
const MAX_SAMPLE = 10_000;

/** One device of a preview, as a dry run shows it. */
export const previewColumns: Column<PreviewDevice>[] = [
  { key: 'deviceId', header: 'DEVICE', value: (d) => d.deviceId },
  { key: 'serial', header: 'SERIAL', value: (d) => d.serial },
  { key: 'model', header: 'MODEL', value: (d) => d.model },
  { key: 'group', header: 'GROUP', value: (d) => d.group },
  { key: 'line', header: 'LINE', value: (d) => d.line },
  { key: 'action', header: 'ACTION', value: (d) => (d.eligible ? 'would run' : 'skip') },
  { key: 'skipReason', header: 'REASON', value: (d) => d.skipReason },
  { key: 'message', header: 'NOTE', value: (d) => d.message },
];

/** Asks the server what a job would do; a refusal is explained as creating the job would be. */
export function previewJob(
  fleet: FleetClient,
  io: IO,
  context: RefusalContext,
  sampleSize: number,
): Promise<JobPreview> {
  return spin(io, 'previewing the job', () => fleet.jobs.preview({ ...context.body, sampleSize })).catch(
    explainRefusal(context),
  );
}

/**
 * `--dry-run`: what the job would do, creating nothing. In a table, a summary and a sample of
 * the devices; in a machine format, every device (the summary goes to stderr). Exit 0, or 8
 * when the server would refuse the job (a guard, unresolved devices, the destructive budget).
 */
export async function dryRun(
  fleet: FleetClient,
  io: IO,
  context: RefusalContext,
  format: OutputFormat,
): Promise<CommandResult> {
  const table = format === 'table';
  const preview = await previewJob(fleet, io, context, table ? TABLE_SAMPLE : MAX_SAMPLE);
  const summary = summarize(preview, context.source);
  const shown = preview.devices.length;
  if (shown < preview.targetCount) {
    summary.push(
      table
        ? `first ${shown} of ${preview.targetCount} devices (-o csv lists up to ${MAX_SAMPLE}):`
        : `listing the first ${shown} of ${preview.targetCount} devices`,
    );
  }
  if (table) await write(io.stdout, `${summary.join('\n')}\n`);
  else for (const line of summary) io.info(line);
  if (preview.refusal) io.warn(`the server would refuse this job: ${preview.refusal}`);
  return list(preview.devices, previewColumns, {
    emptyMessage: 'no device would be targeted',
    exitCode: preview.refusal ? ExitCode.refusedByGuard : ExitCode.ok,
  });
}

/** The preview in a few lines: counts, skips per reason, unresolved devices, approval. */
export function summarize(preview: JobPreview, source: string | undefined): string[] {
  const lines = [
    `dry run: ${preview.type} would target ${preview.targetCount} device(s); ` +
      `${preview.eligibleCount} would run it, nothing is created`,
  ];
  const skipped = Object.entries(preview.skipped).filter(([, count]) => count > 0);
  if (skipped.length > 0) {
    lines.push(`skipped: ${skipped.map(([reason, count]) => `${count} ${reason}`).join(', ')}`);
  }
  if (preview.unresolved.length > 0) {
    lines.push(`unresolved: ${preview.unresolved.length}`);
    lines.push(...unresolvedLines(preview.unresolved, source, Number.POSITIVE_INFINITY));
  }
  lines.push(
    preview.requiresApproval
      ? 'approval: needed, another admin must approve the job before it runs'
      : 'approval: not needed',
  );
  return lines;
}
