/**
 * Runs the benchmarks and prints one JSON object per line: the figure, its raw baseline and the ratio.
 * `npm run bench` (after `npm run build`); `npm run bench -- cli-startup` runs one by name.
 */
import { auditExport } from './audit-export.ts';
import { auditIngest } from './audit-ingest.ts';
import { cliStartup } from './cli-startup.ts';
import { complianceScan } from './compliance-scan.ts';
import { jobFanOut } from './job-fan-out.ts';
import type { BenchResult } from './lib/measure.ts';
import { lock2000 } from './lock-2000.ts';
import { policy500 } from './policy-500.ts';
import { rollout2000 } from './rollout-2000.ts';
import { sdkList } from './sdk-list.ts';

/** A benchmark gives one result, or one per size it measures (printed as each is ready). */
type Benchmark = () => BenchResult | Promise<BenchResult> | AsyncIterable<BenchResult>;

const benchmarks: Record<string, Benchmark> = {
  'cli-startup': cliStartup,
  'sdk-list': sdkList,
  'job-fan-out': () => jobFanOut('pglite'),
  'lock-2000': lock2000,
  'policy-500': policy500,
  'rollout-2000': rollout2000,
  'audit-ingest': () => auditIngest('pglite'),
  // PostgreSQL at FLEETOPS_TEST_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/test.
  'job-fan-out-postgres': () => jobFanOut('postgres'),
  // 100,000 then 1,000,000 events (FLEETOPS_BENCH_AUDIT_ROWS=… for others), on PostgreSQL as above.
  'audit-export': auditExport,
  'audit-ingest-postgres': () => auditIngest('postgres'),
  // 100,000 devices x 100 apps on PostgreSQL as above, 20,000 x 100 on PGlite
  // (FLEETOPS_BENCH_COMPLIANCE_DEVICES=2000,40000 for other fleet sizes).
  'compliance-scan-postgres': () => complianceScan('postgres'),
  'compliance-scan-pglite': () => complianceScan('pglite'),
};

const wanted = process.argv.slice(2);
for (const name of wanted) {
  if (!(name in benchmarks)) {
    console.error(`unknown benchmark "${name}"; known: ${Object.keys(benchmarks).join(', ')}`);
    process.exit(2);
  }
}
for (const [name, run] of Object.entries(benchmarks)) {
  if (wanted.length > 0 && !wanted.includes(name)) continue;
  const results = await run();
  if (Symbol.asyncIterator in results) {
    for await (const result of results) console.log(JSON.stringify(result));
  } else {
    console.log(JSON.stringify(results));
  }
}
