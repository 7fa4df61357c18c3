import { CreateJobRequest } from '@fleetops/protocol';
import { bootstrap, buildApp, createServices, type Db, migrate, openPglite } from '@fleetops/server';
import { request } from 'undici';
import { benchDatabaseUrl, openIsolatedPostgres } from './lib/isolated-postgres.ts';
import { type BenchResult, median, round } from './lib/measure.ts';
import { seedDevices } from './lib/seed-devices.ts';

const DEVICES = 100_000;
const ROUNDS = 3;
const JOB = { type: 'lock', params: {}, targets: { all: true } } as const;

/** The raw baseline: one command per active device of the org, in one plain INSERT … SELECT. */
const RAW_FAN_OUT = `INSERT INTO commands (id, org_id, device_id, type, params, created_by, expires_at)
  SELECT gen_random_uuid(), org_id, id, 'lock', '{}', 'bench', now() + interval '7 days'
  FROM devices WHERE org_id = $1 AND status = 'active'`;

type Store = 'pglite' | 'postgres';

async function openStore(store: Store): Promise<{ db: Db; drop: () => Promise<void> }> {
  if (store === 'postgres') return openIsolatedPostgres(benchDatabaseUrl());
  return { db: await openPglite(), drop: async () => {} };
}

async function timed(run: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await run();
  return performance.now() - start;
}

/**
 * Time to a created `lock` job for 100,000 devices written straight into the store, through
 * POST /v1/jobs (and through the repository, without HTTP), against the raw INSERT … SELECT
 * of the same rows on the same database. Runs are interleaved; between two, the commands and
 * jobs are truncated, so each run inserts into empty tables with every index in place.
 */
export async function jobFanOut(store: Store): Promise<BenchResult> {
  const { db, drop } = await openStore(store);
  let app: Awaited<ReturnType<typeof buildApp>> | undefined;
  try {
    await migrate(db);
    let url = '';
    const services = createServices(db, { publicUrl: () => url });
    const { org, adminToken } = await bootstrap(services);
    await seedDevices(db, org.id, DEVICES);
    await db.exec('ANALYZE devices');
    app = await buildApp({ services });
    url = await app.listen({ port: 0, host: '127.0.0.1' });
    const { token } = (await services.apiTokens.authenticate(adminToken!))!;
    const actor = { name: token.name, tokenId: token.id };

    const runs = {
      raw: () => db.query(RAW_FAN_OUT, [org.id]),
      http: async () => {
        const response = await request(`${url}/v1/jobs`, {
          method: 'POST',
          headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
          body: JSON.stringify(JOB),
        });
        const body = await response.body.text();
        if (response.statusCode !== 201) throw new Error(`POST /v1/jobs: ${response.statusCode} ${body}`);
      },
      repository: () => services.jobs.create(org.id, actor, CreateJobRequest.parse(JOB)),
    };
    const times: Record<keyof typeof runs, number[]> = { raw: [], http: [], repository: [] };
    for (let pass = 0; pass <= ROUNDS; pass++) {
      for (const [name, run] of Object.entries(runs) as [keyof typeof runs, () => Promise<unknown>][]) {
        const ms = await timed(run);
        const [created] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM commands');
        if (created?.n !== DEVICES) throw new Error(`${name} created ${created?.n} commands, not ${DEVICES}`);
        await db.exec('TRUNCATE commands, jobs');
        // The first pass warms up.
        if (pass > 0) times[name].push(ms);
      }
    }

    const figure = median(times.http);
    const baseline = median(times.raw);
    const repository = median(times.repository);
    return {
      name: `job-fan-out-100k-${store}`,
      unit: 'ms',
      figure: round(figure, 0),
      baseline: round(baseline, 0),
      baselineName:
        "raw INSERT INTO commands … SELECT … FROM devices WHERE org_id = $1 AND status = 'active'",
      ratio: round(figure / baseline),
      better: 'lower',
      target: 'ratio <= 1.5',
      details: {
        store,
        devices: DEVICES,
        rounds: ROUNDS,
        figureName: 'POST /v1/jobs {type: lock, targets: {all: true}} until 201',
        repositoryMs: round(repository, 0),
        repositoryRatio: round(repository / baseline),
        runsMs: Object.fromEntries(
          Object.entries(times).map(([name, ms]) => [name, ms.map((t) => round(t, 0))]),
        ),
      },
    };
  } finally {
    await app?.close();
    await db.close();
    await drop();
  }
}
