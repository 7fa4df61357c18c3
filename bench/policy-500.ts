import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startServer } from '@fleetops/server';
import { stringify } from 'yaml';
import { type BenchResult, median, round } from './lib/measure.ts';

const cli = fileURLToPath(new URL('../packages/cli/bin/fleetops.js', import.meta.url));
const POLICIES = 500;
const GROUPS = 50;
const ROUNDS = 3;

/** Policy `i`: its own group and priority pair, so no two policies conflict. */
function policy(i: number, cameraDisabled: boolean) {
  return {
    apiVersion: 'fleetops.dev/v1',
    kind: 'Policy',
    metadata: { name: `policy-${String(i).padStart(3, '0')}`, description: `Bench policy ${i}` },
    spec: {
      restrictions: { cameraDisabled, bluetoothDisabled: i % 2 === 0, locationMode: 'LOCATION_USER_CHOICE' },
      passwordRequirements: { passwordQuality: 'NUMERIC_COMPLEX', passwordMinimumLength: 6 + (i % 4) },
      applications: [
        { packageName: `com.example.app${i}`, rule: 'required', minVersion: '1.2' },
        { packageName: 'com.spyware.*', rule: 'blocked' },
      ],
      audit: { location: { enabled: i % 3 === 0, uploadInterval: '15m' } },
      retention: { location: '30d', callLog: '90d' },
      assignment: { groups: [`g${String(i % GROUPS).padStart(2, '0')}`], priority: Math.floor(i / GROUPS) },
    },
  };
}

const run = promisify(execFile);

/** Runs node with `args` and returns its wall time; the server in this process keeps serving meanwhile. */
async function timed(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const start = process.hrtime.bigint();
  await run(process.execPath, args, { env, maxBuffer: 64 * 2 ** 20 });
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/**
 * `fleetops policy plan` and `policy apply` of 500 policy files against a server holding them,
 * each against a process that only reads and parses the same files and fetches the live set.
 */
export async function policy500(): Promise<BenchResult> {
  const server = await startServer({ port: 0, logLevel: 'silent' });
  const dir = await mkdtemp(join(tmpdir(), 'fleetops-policies-'));
  const env = {
    ...process.env,
    FLEETOPS_SERVER: server.url,
    FLEETOPS_TOKEN: server.adminToken!,
    FLEETOPS_CONFIG_DIR: join(dir, 'config'),
    CI: '1',
  };
  const files = join(dir, 'policies');
  const write = (i: number, cameraDisabled: boolean) =>
    writeFile(join(files, `policy-${String(i).padStart(3, '0')}.yaml`), stringify(policy(i, cameraDisabled)));
  try {
    for (let g = 0; g < GROUPS; g++)
      await server.createEnrollmentToken({ group: `g${String(g).padStart(2, '0')}` });
    await mkdir(files);
    for (let i = 0; i < POLICIES; i++) await write(i, true);
    await timed([cli, 'policy', 'apply', files, '--yes'], env);

    const baselineScript = `
      const { readdirSync, readFileSync } = require('node:fs');
      const { parseDocument } = require(${JSON.stringify(createRequire(import.meta.url).resolve('yaml'))});
      const dir = ${JSON.stringify(files)};
      const docs = readdirSync(dir).sort().map((f) => parseDocument(readFileSync(dir + '/' + f, 'utf8')).toJS());
      fetch(process.env.FLEETOPS_SERVER + '/v1/policies', { headers: { authorization: 'Bearer ' + process.env.FLEETOPS_TOKEN } })
        .then((r) => r.json()).then((set) => { if (set.policies.length !== docs.length) process.exit(1); });`;
    const baseline: number[] = [];
    const plan: number[] = [];
    const apply: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      baseline.push(await timed(['-e', baselineScript], env));
      plan.push(await timed([cli, 'policy', 'plan', files, '-o', 'json'], env));
      // One policy changes each round, as a typical commit would.
      await write(round, round % 2 === 1);
      apply.push(await timed([cli, 'policy', 'apply', files, '--yes'], env));
    }
    const figure = Math.max(median(plan), median(apply));
    const base = median(baseline);
    return {
      name: 'policy-plan-apply-500',
      unit: 'ms',
      figure: round(figure),
      baseline: round(base),
      baselineName: 'node reading and YAML-parsing the 500 files, then GET /v1/policies',
      ratio: round(figure / base),
      better: 'lower',
      target: 'plan and apply each under 2000 ms',
      details: {
        policies: POLICIES,
        planMs: round(median(plan)),
        applyMs: round(median(apply)),
        runsMs: {
          plan: plan.map((v) => round(v)),
          apply: apply.map((v) => round(v)),
          baseline: baseline.map((v) => round(v)),
        },
      },
    };
  } finally {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
}
