import { createReadStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bootstrap, createServices, migrate } from '@fleetops/server';
import { loadAuditEvents, seedOwners } from './lib/audit-events.ts';
import { spawnCli, startCliServer } from './lib/cli-server.ts';
import { benchDatabaseUrl, openIsolatedPostgres } from './lib/isolated-postgres.ts';
import { type BenchResult, median, round } from './lib/measure.ts';
import { followProcess, type ProcessUsage, residentMB } from './lib/process-usage.ts';
import { copyToFile, findPsql } from './lib/psql.ts';
import { seedDevices } from './lib/seed-devices.ts';

const DEVICES = 2000;
/** Event counts measured, smallest first: each adds rows to the previous load. */
const DEFAULT_ROWS = [100_000, 1_000_000];
const ROUNDS = 3;
const TIMEOUT_MS = 10 * 60_000;
const MB = 2 ** 20;

/** `FLEETOPS_BENCH_AUDIT_ROWS=10000,100000` measures other sizes. */
function rowCounts(): number[] {
  const given = process.env.FLEETOPS_BENCH_AUDIT_ROWS;
  if (!given) return DEFAULT_ROWS;
  const counts = given.split(',').map(Number);
  if (counts.some((n) => !Number.isInteger(n) || n < 1)) {
    throw new Error(`FLEETOPS_BENCH_AUDIT_ROWS: expected whole numbers separated by commas, got "${given}"`);
  }
  return counts.sort((a, b) => a - b);
}

const label = (rows: number) => (rows % 1_000_000 === 0 ? `${rows / 1_000_000}m` : `${rows / 1000}k`);

/**
 * The raw baseline: PostgreSQL turning the same rows into JSON itself, with the export's keys
 * (timestamps as PostgreSQL writes them), in id order, through psql into a file. `ORDER BY d.id`
 * is qualified: a bare `id` would sort by the text column of that name.
 */
const rawCopy = (orgId: string) => `COPY (
  SELECT row_to_json(e) FROM (
    SELECT d.id::text AS "id", d.event_id AS "eventId", d.device_id AS "deviceId", d.user_id AS "userId",
           d.category, d.occurred_at AS "occurredAt", d.received_at AS "receivedAt",
           d.anonymized_at IS NOT NULL AS anonymized, d.data
    FROM device_events d WHERE d.org_id = '${orgId}' ORDER BY d.id) e
) TO STDOUT`;

/** Lines of an NDJSON file, and whether its first line starts with the `id` key as the contract says. */
async function countLines(file: string): Promise<{ lines: number; idFirst: boolean }> {
  let lines = 0;
  let head = '';
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    if (head.length < 8) head += chunk.subarray(0, 8).toString();
    for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) lines += 1;
  }
  return { lines, idFirst: head.startsWith('{"id":"') };
}

/** `fleetops audit export -o ndjson --out FILE` as its own process, to its exit; its memory and CPU. */
function exportWithCli(server: { url: string; token: string }, configDir: string, file: string) {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    FLEETOPS_SERVER: server.url,
    FLEETOPS_TOKEN: server.token,
    FLEETOPS_CONFIG_DIR: configDir,
    NO_COLOR: '1',
  };
  delete env.FLEETOPS_PROFILE;
  return new Promise<ProcessUsage>((resolve, reject) => {
    const child = spawnCli(['audit', 'export', '-o', 'ndjson', '--out', file], {
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
      timeout: TIMEOUT_MS,
    });
    const usage = followProcess(child.pid!);
    let stderr = '';
    child.stderr!.on('data', (chunk) => (stderr = (stderr + chunk).slice(-4000)));
    child.on('error', reject);
    child.on('close', (code) => {
      const used = usage.stop();
      if (code !== 0) reject(new Error(`fleetops audit export exited ${code}: ${stderr.trim()}`));
      else resolve(used);
    });
  });
}

interface Run {
  seconds: number;
  bytes: number;
}

/** Runs one export into `file`, checks it holds `rows` events with `id` first, then removes it. */
async function timed<T>(file: string, rows: number, run: () => Promise<T>): Promise<Run & { result: T }> {
  const start = performance.now();
  const result = await run();
  const seconds = (performance.now() - start) / 1000;
  const { lines, idFirst } = await countLines(file);
  if (lines !== rows) throw new Error(`${file} holds ${lines} lines, not ${rows}`);
  if (!idFirst) throw new Error(`${file} does not start with {"id":"`);
  const { size } = await stat(file);
  await rm(file);
  return { seconds, bytes: size, result };
}

const rate = (runs: Run[], per: (run: Run) => number) => median(runs.map((run) => per(run) / run.seconds));

/**
 * Device audit events of one org (2,000 devices, mixed categories) on PostgreSQL, exported as
 * NDJSON by the built CLI (`fleetops audit export -o ndjson --out FILE`) from
 * `fleetops server start --database-url`, each its own process: rows/s against PostgreSQL's own
 * `COPY (SELECT row_to_json(…)) TO STDOUT` through psql into a file, plus the peak memory of the
 * server and of the CLI, for 100,000 and then 1,000,000 events. One result per size; a fresh
 * server per size, so its peak belongs to that size.
 */
export async function* auditExport(): AsyncGenerator<BenchResult> {
  const psql = findPsql();
  const sizes = rowCounts();
  const { db, url, drop } = await openIsolatedPostgres(benchDatabaseUrl());
  const dir = await mkdtemp(join(tmpdir(), 'fleetops-bench-export-'));
  try {
    await migrate(db);
    const services = createServices(db, { publicUrl: () => '' });
    const { org, adminToken } = await bootstrap(services);
    if (!adminToken) throw new Error('the isolated schema already held an org');
    await seedDevices(db, org.id, DEVICES);
    await seedOwners(db, org.id);

    let loaded = 0;
    let previous: { serverPeakMB: number; cliPeakMB: number } | undefined;
    for (const rows of sizes) {
      const loadStart = performance.now();
      await loadAuditEvents(db, org.id, loaded, rows);
      loaded = rows;
      // Hint bits and statistics set now, so that no timed run pays for them.
      await db.exec('VACUUM (ANALYZE) device_events');
      const loadSeconds = (performance.now() - loadStart) / 1000;

      const server = await startCliServer({ databaseUrl: url }, dir);
      const serverUsage = followProcess(server.pid);
      const serverIdleMB = residentMB(server.pid) ?? 0;
      const baselineFile = join(dir, 'copy.ndjson');
      const exportFile = join(dir, 'export.ndjson');
      const copy = () => copyToFile(psql, url, rawCopy(org.id), baselineFile);
      const raw: Run[] = [];
      const cli: Run[] = [];
      // Per timed export: the CLI's peak memory and CPU time, and the server's CPU time.
      const cliUsage: ProcessUsage[] = [];
      const serverCpu: number[] = [];
      let serverPeakMB: number;
      try {
        // The first pass warms up both paths (caches, the server's JIT).
        for (let pass = 0; pass <= ROUNDS; pass++) {
          const rawRun = await timed(baselineFile, rows, copy);
          const serverCpuBefore = serverUsage.now().cpuSeconds;
          const cliRun = await timed(exportFile, rows, () =>
            exportWithCli({ url: server.url, token: adminToken }, dir, exportFile),
          );
          if (pass === 0) continue;
          raw.push(rawRun);
          cli.push(cliRun);
          cliUsage.push(cliRun.result);
          serverCpu.push(serverUsage.now().cpuSeconds - serverCpuBefore);
        }
        serverPeakMB = serverUsage.stop().peakMB;
      } finally {
        await server.stop();
      }
      const cliPeakMB = Math.max(...cliUsage.map((u) => u.peakMB));

      const figure = rate(cli, () => rows);
      const baseline = rate(raw, () => rows);
      const figureMBps = rate(cli, (run) => run.bytes / MB);
      const baselineMBps = rate(raw, (run) => run.bytes / MB);
      yield {
        name: `audit-export-${label(rows)}-postgres`,
        unit: 'rows/s',
        figure: round(figure, 0),
        baseline: round(baseline, 0),
        baselineName:
          'psql: COPY (SELECT row_to_json(e) FROM (the same rows and keys, by id) e) TO STDOUT > file',
        ratio: round(figure / baseline),
        better: 'higher',
        target: 'ratio >= 0.5; server and CLI peak RSS < 150 MB each, flat from 100k to 1M rows',
        details: {
          rows,
          devices: DEVICES,
          rounds: ROUNDS,
          figureName:
            'fleetops audit export -o ndjson --out FILE (own process) from fleetops server start --database-url (own process)',
          MBps: round(figureMBps, 1),
          baselineMBps: round(baselineMBps, 1),
          ratioMBps: round(figureMBps / baselineMBps),
          exportMB: round(cli[0]!.bytes / MB, 1),
          baselineMB: round(raw[0]!.bytes / MB, 1),
          serverPeakMB: round(serverPeakMB, 0),
          serverIdleMB: round(serverIdleMB, 0),
          cliPeakMB: round(cliPeakMB, 0),
          ...(previous && {
            serverPeakGrowthMB: round(serverPeakMB - previous.serverPeakMB, 0),
            cliPeakGrowthMB: round(cliPeakMB - previous.cliPeakMB, 0),
          }),
          // CPU time per export: which process works hardest on a machine shared with others.
          cliCpuSeconds: round(median(cliUsage.map((u) => u.cpuSeconds)), 1),
          serverCpuSeconds: round(median(serverCpu), 1),
          runsSeconds: { cli: cli.map((r) => round(r.seconds)), raw: raw.map((r) => round(r.seconds)) },
          loadSeconds: round(loadSeconds, 1),
        },
      };
      previous = { serverPeakMB, cliPeakMB };
    }
  } finally {
    await db.close();
    await drop();
    await rm(dir, { recursive: true, force: true });
  }
}
