import type { ComplianceScan, Severity } from '@fleetops/protocol';
import { type FleetClient, FleetNotFoundError } from '@fleetops/sdk';
import type { Deps, GlobalOptions } from '../../command';
import { CliError, ExitCode, UsageError } from '../../errors';
import { isStdout } from '../../output/byte-sink';
import {
  type CommandResult,
  list,
  type OutputFormat,
  REPORT_FORMATS,
  type ReportFormat,
} from '../../output/view';
import { write } from '../../output/write';
import { SEVERITIES_WORST_FIRST, scanSummary } from '../../reports/summary';
import { requireId } from '../ids';
import { failOnExitCode } from './fail-on';
import { scanCsvColumns, scanTableColumns } from './scan-columns';
import { writeScanReport } from './scan-report';

/** Options of `compliance scan`, global ones included: `-o` also takes the reports `junit` and `html` here. */
export interface ScanOptions extends Omit<GlobalOptions, 'output'> {
  where?: string;
  failOn?: Severity;
  out?: string;
  /** false with `--no-run`: show an existing scan. */
  run: boolean;
  scan?: string;
  output: OutputFormat | ReportFormat;
}

const PAGE_SIZE = 1000;

/**
 * Runs a scan of the fleet (or shows an existing one with `--no-run`), then streams its
 * violations in the chosen format, or writes the JUnit or HTML report; the summary line follows
 * the table on stdout, and goes to stderr with the other formats. Exits 4 when a device breaks
 * a rule of the `--fail-on` severity or worse.
 */
export async function handler(opts: ScanOptions, { client, clock, emit, io }: Deps): Promise<CommandResult> {
  checkFlags(opts);
  const fleet = await client();
  const scan = await scanToShow(fleet, opts);
  const broken = SEVERITIES_WORST_FIRST.filter((severity) => scan.devicesBySeverity[severity] > 0);
  const exitCode = failOnExitCode(broken, opts.failOn);
  const summary = scanSummary(scan);
  const report = REPORT_FORMATS.find((format) => format === opts.output);
  if (report) {
    await writeScanReport(fleet, scan, report, { out: opts.out, io, now: clock() });
    io.info(isStdout(opts.out) ? summary : `${summary}; ${report} report written to ${opts.out}`);
    return { kind: 'none', exitCode };
  }
  if (opts.output === 'table' && scan.deviceCount === 0) {
    await write(io.stdout, `${summary}\n`);
    return { kind: 'none', exitCode };
  }
  const results = fleet.compliance.results(scan.id, { limit: PAGE_SIZE });
  const columns = opts.output === 'csv' ? scanCsvColumns : scanTableColumns;
  await emit(list(results, columns, { emptyMessage: 'every device scanned complies with every rule' }));
  if (opts.output === 'table') await write(io.stdout, `${summary}\n`);
  else io.info(summary);
  return { kind: 'none', exitCode };
}

function checkFlags(opts: ScanOptions): void {
  const existing = !opts.run || opts.scan !== undefined;
  if (existing && opts.where !== undefined) {
    throw new UsageError(
      '--where chooses the devices of a new scan: it cannot narrow an existing one',
      'drop --no-run/--scan to run a new scan of those devices',
    );
  }
  if (opts.scan !== undefined && opts.scan !== 'latest') requireId(opts.scan, 'scan');
  if (opts.out !== undefined && !REPORT_FORMATS.some((format) => format === opts.output)) {
    throw new UsageError(
      '--out is for the reports (-o junit, -o html)',
      'the other formats go to stdout: redirect it, e.g. -o csv > scan.csv',
    );
  }
}

/** A new scan, or the one `--scan` names (the latest with `--no-run` alone). */
async function scanToShow(fleet: FleetClient, opts: ScanOptions): Promise<ComplianceScan> {
  if (opts.run && opts.scan === undefined) {
    return fleet.compliance.scan(opts.where === undefined ? {} : { where: opts.where });
  }
  const id = opts.scan ?? 'latest';
  return fleet.compliance.scans.get(id).catch((error: unknown) => {
    if (!(error instanceof FleetNotFoundError)) throw error;
    if (id === 'latest')
      throw new CliError('no scan yet', ExitCode.error, 'run one: fleetops compliance scan');
    throw new CliError(
      `scan ${id} not found`,
      ExitCode.error,
      'whole-fleet scans are listed by: fleetops compliance history -o json',
    );
  });
}
