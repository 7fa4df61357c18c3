import type { ComplianceResult, ComplianceScan } from '@fleetops/protocol';
import type { FleetClient } from '@fleetops/sdk';
import { writeFileAtomically } from '../../atomic-file';
import { UsageError } from '../../errors';
import type { IO } from '../../io';
import { isStdout } from '../../output/byte-sink';
import type { ReportFormat } from '../../output/view';
import { write } from '../../output/write';

/** How far back the HTML report's compliance-rate chart goes. */
const HISTORY_DAYS = 90;
const PAGE_SIZE = 1000;

/**
 * Writes a scan's report, JUnit XML or HTML, whole: to `out`, replaced at once so a reader never
 * sees half a report, or to stdout. The results are read into memory to group them by rule
 * (JUnit) or by device (HTML).
 */
export async function writeScanReport(
  fleet: FleetClient,
  scan: ComplianceScan,
  format: ReportFormat,
  target: { out: string | undefined; io: IO; now: Date },
): Promise<void> {
  const results: ComplianceResult[] = await fleet.compliance.results(scan.id, { limit: PAGE_SIZE }).toArray();
  const text =
    format === 'junit'
      ? (await import('../../reports/junit')).junitReport(scan, results, target.now)
      : (await import('../../reports/html')).htmlReport({
          scan,
          results,
          now: target.now,
          history: await fleet.compliance.history({
            since: new Date(target.now.getTime() - HISTORY_DAYS * 86_400_000).toISOString(),
          }),
        });
  if (isStdout(target.out)) return write(target.io.stdout, text);
  await writeFileAtomically(target.out!, text).catch((error: NodeJS.ErrnoException) => {
    throw new UsageError(`cannot write ${target.out} (${error.code ?? error.message})`);
  });
}
