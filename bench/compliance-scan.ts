import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApplyRulesResult, ComplianceScan } from '@fleetops/protocol';
import {
  bootstrap,
  createServices,
  type Db,
  databaseDir,
  migrate,
  openPglite,
  type Queryable,
} from '@fleetops/server';
import { Agent, request } from 'undici';
import type { z } from 'zod';
import { startCliServer } from './lib/cli-server.ts';
import { seedComplianceFleet } from './lib/compliance-fleet.ts';
import { baselineSql, benchRules, stalkerwareMatchers } from './lib/compliance-rules.ts';
import { benchDatabaseUrl, openIsolatedPostgres } from './lib/isolated-postgres.ts';
import { type BenchResult, median, round } from './lib/measure.ts';
import { followProcess, residentMB } from './lib/process-usage.ts';

type Store = 'postgres' | 'pglite';

/** Devices per size, by store: 10 million installed apps on PostgreSQL, 2 million on PGlite. */
const DEFAULT_DEVICES: Record<Store, number[]> = { postgres: [100_000], pglite: [20_000] };
const ROUNDS = 3;
/** A scan of a large fleet may take minutes: no client timeout cuts it short. */
const patient = new Agent({ headersTimeout: 0, bodyTimeout: 0 });

/** `FLEETOPS_BENCH_COMPLIANCE_DEVICES=2000,20000` measures other fleet sizes. */
function deviceCounts(store: Store): number[] {
  const given = process.env.FLEETOPS_BENCH_COMPLIANCE_DEVICES;
  if (!given) return DEFAULT_DEVICES[store];
  const counts = given.split(',').map(Number);
  if (counts.some((n) => !Number.isInteger(n) || n < 1)) {
    throw new Error(
      `FLEETOPS_BENCH_COMPLIANCE_DEVICES: expected whole numbers separated by commas, got "${given}"`,
    );
  }
  return counts.sort((a, b) => a - b);
}

const label = (devices: number) =>
  devices % 1_000_000 === 0
    ? `${devices / 1_000_000}m`
    : devices % 1000 === 0
      ? `${devices / 1000}k`
      : `${devices}`;

/** One admin API call, answered within no time limit, its answer checked against the protocol. */
async function call<S extends z.ZodType>(
  server: { url: string; token: string },
  method: 'PUT' | 'POST',
  path: string,
  body: unknown,
  schema: S,
): Promise<z.output<S>> {
  const response = await request(`${server.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
    dispatcher: patient,
  });
  const text = await response.body.text();
  if (response.statusCode >= 300)
    throw new Error(`${method} ${path}: ${response.statusCode} ${text.slice(0, 2000)}`);
  return schema.parse(JSON.parse(text));
}

async function timed<T>(run: () => Promise<T>): Promise<{ seconds: number; result: T }> {
  const start = performance.now();
  const result = await run();
  return { seconds: (performance.now() - start) / 1000, result };
}

/**
 * The baseline's count per rule, run 1 + ROUNDS times on `db`; the runs after the first are timed.
 * `jit: false` turns PostgreSQL's JIT compilation off for it (PGlite has none, and accepts it).
 */
async function runBaseline(db: Db, sql: string, { jit = true } = {}) {
  const seconds: number[] = [];
  let counts = new Map<string, number>();
  const query = (q: Queryable) => q.query<{ rule: string; devices: number }>(sql);
  for (let pass = 0; pass <= ROUNDS; pass++) {
    const run = await timed(() =>
      jit
        ? query(db)
        : db.transaction(async (tx) => {
            await tx.query('SET LOCAL jit = off');
            return query(tx);
          }),
    );
    counts = new Map(run.result.map((row) => [row.rule, row.devices]));
    if (pass > 0) seconds.push(run.seconds);
  }
  return { seconds, counts };
}

/** Fails unless the scan found, rule by rule, the devices the baseline counts. */
function checkSameViolations(scan: ComplianceScan, counts: Map<string, number>): void {
  const rules = new Set([...counts.keys(), ...scan.byRule.map((r) => r.rule)]);
  const found = new Map(scan.byRule.map((r) => [r.rule, r.devices]));
  const differences = [...rules].filter((rule) => (found.get(rule) ?? 0) !== (counts.get(rule) ?? 0));
  const total = [...counts.values()].reduce((sum, n) => sum + n, 0);
  if (differences.length === 0 && total === scan.violationCount) return;
  const each = differences.map(
    (rule) => `${rule}: scan ${found.get(rule) ?? 0}, baseline ${counts.get(rule) ?? 0}`,
  );
  throw new Error(
    `the scan found ${scan.violationCount} violations, the baseline ${total}${each.length ? `: ${each.join('; ')}` : ''}`,
  );
}

/**
 * A compliance scan with the real stalkerware blocklist (every package id and signing-certificate
 * digest of examples/compliance, one blockedApps rule) and 20 state rules (OS minimums, passcode,
 * encryption, root, check-in age, required apps, policy drift), over N devices x 100 installed apps
 * generated straight into the store (lib/compliance-fleet.ts): the wall time of
 * `POST /v1/compliance/scans` against `fleetops server start` in its own process (median of 3
 * scans after a first one, which finds every violation new), and the server's peak RSS. Baseline:
 * one hand-written SELECT counting the devices breaking each rule, on the same store (without
 * JIT on PostgreSQL; with it, in the details), once its count per rule is checked to be the scan's. 100,000 devices (10M app rows) on PostgreSQL;
 * 20,000 (2M rows) on PGlite, where the server runs on the data directory seeded beforehand.
 */
export async function* complianceScan(store: Store): AsyncGenerator<BenchResult> {
  for (const devices of deviceCounts(store)) yield await measure(store, devices);
}

async function measure(store: Store, devices: number): Promise<BenchResult> {
  const dir = await mkdtemp(join(tmpdir(), 'fleetops-bench-compliance-'));
  const dataDir = join(dir, 'data');
  const isolated = store === 'postgres' ? await openIsolatedPostgres(benchDatabaseUrl()) : undefined;
  let db: Db = isolated?.db ?? (await openPglite(databaseDir(dataDir)));
  try {
    await migrate(db);
    const services = createServices(db, { publicUrl: () => '' });
    const { org, adminToken } = await bootstrap(services);
    if (!adminToken) throw new Error('the new store already held an org');
    const seeding = await timed(async () => {
      const fleet = await seedComplianceFleet(db, services, org.id, devices);
      await db.exec('VACUUM (ANALYZE) devices, device_apps');
      return fleet;
    });
    const fleet = seeding.result;
    // PGlite is one process's: the server opens the seeded directory once this side let go of it.
    if (!isolated) await db.close();

    const server = await startCliServer(isolated ? { databaseUrl: isolated.url } : { dataDir }, dir);
    const admin = { url: server.url, token: adminToken };
    const serverUsage = followProcess(server.pid);
    const serverIdleMB = residentMB(server.pid) ?? 0;
    let first: { seconds: number; result: ComplianceScan };
    const scans: { seconds: number; result: ComplianceScan }[] = [];
    let applySeconds: number;
    let serverPeakMB: number;
    let serverCpuSeconds: number;
    try {
      applySeconds = (
        await timed(() =>
          call(admin, 'PUT', '/v1/compliance/rules', { document: benchRules }, ApplyRulesResult),
        )
      ).seconds;
      const scan = () => timed(() => call(admin, 'POST', '/v1/compliance/scans', {}, ComplianceScan));
      first = await scan();
      const cpuBefore = serverUsage.now().cpuSeconds;
      for (let round = 0; round < ROUNDS; round++) scans.push(await scan());
      serverCpuSeconds = (serverUsage.now().cpuSeconds - cpuBefore) / ROUNDS;
      serverPeakMB = serverUsage.stop().peakMB;
    } finally {
      await server.stop();
    }

    if (!isolated) db = await openPglite(databaseDir(dataDir));
    const sql = baselineSql(org.id, fleet.policyHashes);
    // Without JIT on PostgreSQL (PGlite has none): compiling this long statement takes longer
    // than running it, and the baseline is the cost of the join itself.
    const baseline = await runBaseline(db, sql, { jit: false });
    const withJit = isolated ? await runBaseline(db, sql) : undefined;
    const last = scans.at(-1)!.result;
    checkSameViolations(last, baseline.counts);

    const figure = median(scans.map((s) => s.seconds));
    const baselineSeconds = median(baseline.seconds);
    return {
      name: `compliance-scan-${label(devices)}-${store}`,
      unit: 's',
      figure: round(figure),
      baseline: round(baselineSeconds),
      baselineName:
        'one hand-written SELECT counting the devices breaking each rule (blocklist looked up by package id and by certificate), on the same store, JIT off',
      ratio: round(figure / baselineSeconds),
      better: 'lower',
      target: 'ratio <= 1.5; server peak RSS reported',
      details: {
        devices,
        appRows: fleet.appRows,
        distinctApps: fleet.distinctApps,
        rules: benchRules.rules.length,
        blocklistMatchers: stalkerwareMatchers().length,
        stalkerwareDevices: fleet.stalkerwareDevices,
        violationCount: last.violationCount,
        nonCompliantCount: last.nonCompliantCount,
        complianceRate: round(last.complianceRate, 4),
        figureName: `POST /v1/compliance/scans to fleetops server start (own process, ${store === 'postgres' ? '--database-url' : 'PGlite --data-dir'}), median of ${ROUNDS} after a first scan`,
        firstScanSeconds: round(first.seconds),
        runsSeconds: {
          scan: scans.map((s) => round(s.seconds)),
          baseline: baseline.seconds.map((s) => round(s)),
        },
        ...(withJit && { baselineWithJitSeconds: round(median(withJit.seconds)) }),
        serverPeakMB: round(serverPeakMB, 0),
        serverIdleMB: round(serverIdleMB, 0),
        serverCpuSecondsPerScan: round(serverCpuSeconds, 1),
        applyRulesSeconds: round(applySeconds),
        seedSeconds: round(seeding.seconds, 1),
      },
    };
  } finally {
    await db.close().catch(() => {});
    await isolated?.drop();
    await rm(dir, { recursive: true, force: true });
  }
}
