import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { AUDIT_CATEGORIES, ConsentPermission, type PolicyDocumentInput } from '@fleetops/protocol';
import { FleetClient } from '@fleetops/sdk';
import { type FleetStats, type RunningFleet, startFleet } from '@fleetops/simulator';
import { benchDatabaseUrl, openIsolatedPostgres } from './lib/isolated-postgres.ts';
import { type BenchResult, round } from './lib/measure.ts';
import { followProcess, type ProcessUsage } from './lib/process-usage.ts';
import { type SeededServer, startSeededServer } from './lib/spawn-seeded-server.ts';

const DEVICES = 2000;
const GROUP = 'audit-bench';
/**
 * Simulated seconds per real second: a user's hour passes in a second, so that the devices
 * collect far more than any server stores and each uploads as soon as it gets its turn.
 */
const AUDIT_SPEED = 3600;
/** Simulated time between two uploads of a category: a tenth of a real second at AUDIT_SPEED. */
const UPLOAD_INTERVAL = '6m';
/** From the policy's release: devices fetch it, then their uploads reach a steady pace. */
const WARM_UP_MS = 15_000;
/** Statements at a time in the concurrent baseline: as many as the server's PostgreSQL pool holds. */
const RAW_CONCURRENCY = 10;
/** Long enough to average out the store's pauses (checkpoints, file growth) of a few seconds. */
const WINDOW_MS = 30_000;
/** Devices check in this rarely: besides uploads, only their long-polls reach the server. */
const CHECK_IN_INTERVAL_SECONDS = 3600;
const SETUP_TIMEOUT_MS = 5 * 60_000;

type Store = 'pglite' | 'postgres';

/** Every audit category collected, uploaded every UPLOAD_INTERVAL, for the bench group. */
const policy: PolicyDocumentInput = {
  apiVersion: 'fleetops.dev/v1',
  kind: 'Policy',
  metadata: { name: 'audit-bench' },
  spec: {
    audit: Object.fromEntries(
      AUDIT_CATEGORIES.map((category) => [category, { enabled: true, uploadInterval: UPLOAD_INTERVAL }]),
    ),
    assignment: { groups: [GROUP], priority: 10 },
  },
};

/** The fleet's and the server's counts at one moment. */
interface Mark {
  at: number;
  stored: number;
  fleet: FleetStats;
  serverCpu: number;
  clientCpu: number;
}

/** The counts once the server answered its count(*), which queues behind the uploads on PGlite. */
async function mark(
  server: { countEvents(): Promise<number> },
  serverUsage: { now(): ProcessUsage },
  fleet: RunningFleet,
): Promise<Mark> {
  const stored = await server.countEvents();
  const { user, system } = process.cpuUsage();
  return {
    at: performance.now(),
    stored,
    fleet: fleet.stats(),
    serverCpu: serverUsage.now().cpuSeconds,
    clientCpu: (user + system) / 1e6,
  };
}

/** `work`, or a failure naming `what` after SETUP_TIMEOUT_MS. */
async function within<T>(work: Promise<T>, what: string): Promise<T> {
  const timeout = new AbortController();
  try {
    return await Promise.race([
      work,
      sleep(SETUP_TIMEOUT_MS, undefined, { signal: timeout.signal }).then(() => {
        throw new Error(`${what} after ${SETUP_TIMEOUT_MS / 60_000} minutes`);
      }),
    ]);
  } finally {
    timeout.abort();
  }
}

/**
 * 2,000 simulated devices with every audit category on and every permission granted, their
 * users' time running 3,600 times faster, so that they upload as fast as the server takes
 * events: the events the server stores per second (its own count(*) of device_events) over 30 s,
 * once every device runs the audit policy and 15 s more have passed. Baseline: the store's own
 * rate for the same number of rows written with plain INSERT … SELECT FROM unnest(…), in batches
 * of the window's mean upload size, one at a time and RAW_CONCURRENCY at a time (the faster
 * counts), on the same store, with the fleet stopped.
 */
export async function auditIngest(store: Store): Promise<BenchResult> {
  const isolated = store === 'postgres' ? await openIsolatedPostgres(benchDatabaseUrl()) : undefined;
  // The server process opens the schema itself; this side only drops it at the end.
  await isolated?.db.close();
  // PGlite on disk, as `fleetops server start` keeps it.
  const dataDir = isolated ? undefined : await mkdtemp(join(tmpdir(), 'fleetops-bench-ingest-'));
  try {
    const server = await startSeededServer(0, {
      checkInIntervalSeconds: CHECK_IN_INTERVAL_SECONDS,
      ...(isolated ? { databaseUrl: isolated.url } : { dataDir }),
    });
    try {
      return await measureIngest(server, store);
    } finally {
      await server.stop();
    }
  } finally {
    await isolated?.drop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  }
}

async function measureIngest(server: SeededServer, store: Store): Promise<BenchResult> {
  const serverUsage = followProcess(server.pid);
  const client = new FleetClient({ baseUrl: server.url, token: server.token });
  let fleet: RunningFleet | undefined;
  try {
    const enrollment = await client.enrollmentTokens.create({ group: GROUP, maxUses: DEVICES });
    const enrollStart = performance.now();
    fleet = await startFleet({
      serverUrl: server.url,
      enrollmentToken: enrollment.token,
      devices: DEVICES,
      auditSpeed: AUDIT_SPEED,
      consentChanges: false,
    });
    // Every user grants every permission before the first check-in, which reports it.
    for (const device of fleet.devices()) {
      for (const permission of ConsentPermission.options) fleet.changeConsent(device.index, permission, true);
    }
    await within(fleet.ready, 'the fleet was not up');
    const enrollSeconds = (performance.now() - enrollStart) / 1000;

    // Collection starts once every device is up, so that uploads do not starve the enrollments.
    const applied = fleet.stats().policiesApplied;
    const { revision } = await client.policies.list();
    await client.policies.apply({ documents: [policy], baseRevision: revision, staged: false });
    await client.jobs.create({ type: 'sync', targets: { where: `group = ${GROUP}`, all: true } });
    const releaseStart = performance.now();
    const running = fleet;
    await within(
      (async () => {
        while (running.stats().policiesApplied - applied < DEVICES) await sleep(500);
      })(),
      'the devices did not all apply the audit policy',
    );
    const releaseSeconds = (performance.now() - releaseStart) / 1000;

    await sleep(WARM_UP_MS);
    const start = await mark(server, serverUsage, fleet);
    await sleep(WINDOW_MS);
    const end = await mark(server, serverUsage, fleet);
    await fleet.stop();
    const serverPeakMB = serverUsage.stop().peakMB;

    const seconds = (end.at - start.at) / 1000;
    const stored = end.stored - start.stored;
    if (stored <= 0) throw new Error(`the server stored no event in ${round(seconds)} s`);
    const uploads = end.fleet.uploads - start.fleet.uploads;
    const batch = Math.max(1, Math.round((end.fleet.eventsUploaded - start.fleet.eventsUploaded) / uploads));
    const oneAtATime = stored / ((await server.rawInsertEvents(stored, batch, 1)) / 1000);
    const concurrent = stored / ((await server.rawInsertEvents(stored, batch, RAW_CONCURRENCY)) / 1000);

    const figure = stored / seconds;
    const baseline = Math.max(oneAtATime, concurrent);
    const delta = (key: keyof FleetStats) => end.fleet[key] - start.fleet[key];
    return {
      name: `audit-ingest-2000-devices-${store}`,
      unit: 'events/s',
      figure: round(figure, 0),
      baseline: round(baseline, 0),
      baselineName: `the same number of rows, ${batch} per INSERT INTO device_events … SELECT FROM unnest(…) ON CONFLICT DO NOTHING, on the same store, one or ${RAW_CONCURRENCY} statements at a time (the faster)`,
      ratio: round(figure / baseline),
      better: 'higher',
      details: {
        store: store === 'pglite' ? 'pglite (data directory)' : store,
        devices: DEVICES,
        auditSpeed: AUDIT_SPEED,
        uploadInterval: UPLOAD_INTERVAL,
        windowSeconds: round(seconds, 1),
        storedInWindow: stored,
        uploadsInWindow: uploads,
        meanBatch: batch,
        uploadedInWindow: delta('eventsUploaded'),
        droppedInWindow: delta('eventsDropped'),
        rejectedInWindow: delta('eventsRejected'),
        simulatorErrors: delta('errors'),
        baselineOneAtATime: round(oneAtATime, 0),
        baselineConcurrent: round(concurrent, 0),
        // CPU share of one core over the window: which side is saturated.
        serverCpuPercent: round(((end.serverCpu - start.serverCpu) / seconds) * 100, 0),
        clientCpuPercent: round(((end.clientCpu - start.clientCpu) / seconds) * 100, 0),
        serverPeakMB: round(serverPeakMB, 0),
        enrollSeconds: round(enrollSeconds, 1),
        policyReleaseSeconds: round(releaseSeconds, 1),
      },
    };
  } finally {
    await fleet?.stop();
    await client.close();
  }
}
