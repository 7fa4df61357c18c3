import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type {
  ActivityEntry,
  AuditCategory,
  Device,
  DeviceConsent,
  DeviceEvent,
  EnrollResponse,
} from '@fleetops/protocol';
import { FleetClient } from '@fleetops/sdk';
import { bootstrap, buildApp, createServices, type Db, migrate, openPglite } from '@fleetops/server';
import { startFleet } from '@fleetops/simulator';
import { parse as parseCsv } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_GRANTED, checkIn, collectIn, sampleEvent, uploadEvents } from './audit-fixtures';
import { adminApi, BIN, cliEnv, deviceFacts, enrollDevice, runCli, tempDir } from './helpers';
import { startStallingProxy } from './stalling-proxy';

/** Every category but sign-in/out, which the policy leaves off. */
const COLLECTED = [
  'location',
  'callLog',
  'appUsage',
  'screenshots',
  'fileVirusScan',
  'operationLogs',
  'networkInfo',
] as const satisfies AuditCategory[];

/** Events of the large data set: enough that an export is still running when it is killed. */
const BULK_EVENTS = 30_000;

let db: Db;
let url: string;
let close: () => Promise<void>;
let sdk: FleetClient;
let env: NodeJS.ProcessEnv;
let dir: Awaited<ReturnType<typeof tempDir>>;
/** A device with one event of every category. */
let field: EnrollResponse;
/** A device with the large data set. */
let bulk: EnrollResponse;
/** A device whose user did not grant location. */
let denied: EnrollResponse;

const fleetops = (...args: string[]) => runCli(args, env);
const out = (name: string) => join(dir.path, name);
const sha256 = async (path: string) =>
  createHash('sha256')
    .update(await readFile(path))
    .digest('hex');

/** The server in this process, with its database at hand to tamper with. */
async function startServerWithDb() {
  const database = await openPglite();
  await migrate(database);
  let listening = '';
  const services = createServices(database, { publicUrl: () => listening });
  const { adminToken } = await bootstrap(services);
  const app = await buildApp({ services, logger: { level: 'silent' } });
  listening = await app.listen({ port: 0, host: '127.0.0.1' });
  const stop = async () => {
    await app.close();
    await database.close();
  };
  return { db: database, url: listening, adminToken: adminToken!, close: stop };
}

async function enrollIn(group: string, consent = ALL_GRANTED): Promise<EnrollResponse> {
  const token = await adminApi<{ token: string }>(url, env.FLEETOPS_TOKEN!, '/v1/enrollment-tokens', {
    group,
  });
  const device = await enrollDevice(url, token.token, deviceFacts());
  await checkIn(url, device, consent);
  return device;
}

beforeAll(async () => {
  const server = await startServerWithDb();
  ({ db, url, close } = server);
  dir = await tempDir('audit');
  env = cliEnv(dir.path, { FLEETOPS_SERVER: url, FLEETOPS_TOKEN: server.adminToken });
  sdk = new FleetClient({ baseUrl: url, token: server.adminToken });
  field = await enrollIn('field');
  bulk = await enrollIn('bulk');
  denied = await enrollIn('denied', { ...ALL_GRANTED, location: false });
  await collectIn(sdk, ['field', 'bulk', 'denied'], COLLECTED);
  const hourAgo = Date.now() - 3600_000;
  await uploadEvents(
    url,
    field,
    COLLECTED.map((category, i) => sampleEvent(category, new Date(hourAgo + i * 1000).toISOString())),
  );
  await uploadEvents(
    url,
    bulk,
    Array.from({ length: BULK_EVENTS }, (_, i) =>
      sampleEvent(i % 2 ? 'location' : 'callLog', new Date(hourAgo + i).toISOString()),
    ),
  );
  // Location is dropped for want of consent, sign-in/out because the policy does not collect it.
  await uploadEvents(url, denied, [
    sampleEvent('location'),
    sampleEvent('location'),
    sampleEvent('signInOut'),
    sampleEvent('callLog'),
  ]);
}, 300_000);

afterAll(async () => {
  await sdk?.close();
  await close?.();
  await dir?.remove();
});

const eventsOf = async (deviceId: string) => sdk.audit.events.list({ deviceId, limit: 1000 }).toArray();

describe('audit export', () => {
  it('NDJSON, CSV and JSON files parse back to the events', async () => {
    const events = await eventsOf(field.deviceId);
    expect(events.map((e) => e.category)).toEqual(COLLECTED);
    const base = ['audit', 'export', '--device', field.deviceId, '--since', '2h'];

    const ndjson = await fleetops(...base, '-o', 'ndjson', '--out', out('field.ndjson'));
    expect(ndjson.code).toBe(0);
    expect(ndjson.stderr).toMatch(/^exported 7 events \(\d+(\.\d)? (B|kB)\) in \d+s to .*field\.ndjson\n$/);
    const lines = (await readFile(out('field.ndjson'), 'utf8')).trimEnd().split('\n');
    expect(lines.map((line) => JSON.parse(line) as DeviceEvent)).toEqual(events);

    expect((await fleetops(...base, '--out', out('field.csv'))).code).toBe(0);
    const rows = parseCsv(await readFile(out('field.csv')), { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => ({ id: r.id, category: r.category, data: JSON.parse(r.data!) }))).toEqual(
      events.map((e) => ({ id: e.id, category: e.category, data: e.data })),
    );

    expect((await fleetops(...base, '-o', 'json', '--out', out('field.json'))).code).toBe(0);
    expect(JSON.parse(await readFile(out('field.json'), 'utf8'))).toEqual(events);
  });

  it('--out - and no --out write to stdout', async () => {
    const run = await fleetops('audit', 'export', '--device', field.deviceId, '--type', 'call-log,app-usage');
    expect(run.code).toBe(0);
    const lines = run.stdout
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as DeviceEvent);
    expect(lines.map((e) => e.category)).toEqual(['callLog', 'appUsage']);
    const dash = await fleetops(
      'audit',
      'export',
      '--device',
      field.deviceId,
      '--type',
      'callLog',
      '--out',
      '-',
    );
    expect(dash.stdout.trimEnd().split('\n')).toHaveLength(1);
  });

  it('--redact masks phone numbers, places, networks and paths', async () => {
    const run = await fleetops('audit', 'export', '--device', field.deviceId, '--redact');
    expect(run.code).toBe(0);
    expect(run.stdout).not.toContain('+14155550100');
    expect(run.stdout).not.toContain('HQ-Guest');
    expect(run.stdout).not.toContain('10.1.2.3');
    expect(run.stdout).not.toContain('invoice');
    const events = run.stdout
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as DeviceEvent);
    const data = Object.fromEntries(events.map((e) => [e.category, e.data as Record<string, unknown>]));
    expect(data.callLog!.number).toMatch(/^\+\*+00$/);
    expect(data.location).toMatchObject({ latitude: 48.86, longitude: 2.35, accuracyMeters: null });
    expect(data.networkInfo).toMatchObject({ ssid: '***', ipAddress: '***' });
    expect(data.fileVirusScan!.path).toBe('***');
  });

  it('refuses to overwrite a file without --force', async () => {
    await writeFile(out('taken.ndjson'), 'keep me\n');
    const run = await fleetops('audit', 'export', '--out', out('taken.ndjson'));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`error: ${out('taken.ndjson')} exists`);
    expect(await readFile(out('taken.ndjson'), 'utf8')).toBe('keep me\n');
    const forced = await fleetops(
      'audit',
      'export',
      '--device',
      field.deviceId,
      '--out',
      out('taken.ndjson'),
      '--force',
    );
    expect(forced.code).toBe(0);
    expect((await readFile(out('taken.ndjson'), 'utf8')).split('\n')).toHaveLength(8);
  });

  it.each([
    [
      ['--type', 'location,calls'],
      /unknown type "calls": expected location, call-log, app-usage, screenshots, file-virus-scan, operation-logs, network-info, sign-in-out/,
    ],
    [['--since', 'last week'], /expected a duration back from now such as 24h or 7d/],
    [['-o', 'json', '--out', 'x.json', '--resume'], /--resume is for ndjson and csv exports/],
    [['-o', 'yaml'], /audit export writes ndjson, csv or json/],
    [['--resume'], /--resume continues an export to a file/],
  ])('%j is a usage error: exit 2', async (flags, message) => {
    const run = await fleetops('audit', 'export', ...flags);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stdout).toBe('');
  });
});

/**
 * Interrupted exports run through a proxy that stalls their response after this many bytes,
 * so that they are stopped mid-way whatever the machine's speed.
 */
const STALL_AFTER_BYTES = 200_000;

/** Waits until the export to `file` has saved a resume record past its first events. */
async function resumeRecordOf(
  file: string,
  child: ChildProcess,
): Promise<{ length: number; lastId: string }> {
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`the export ended (exit ${child.exitCode}) before it was stopped`);
    const record = await readFile(`${file}.resume.json`, 'utf8').then(
      (text) => JSON.parse(text) as { length: number; lastId: string | null },
      () => undefined,
    );
    if (record?.lastId) return { length: record.length, lastId: record.lastId };
    await sleep(5);
  }
}

describe('audit export, interrupted and resumed', () => {
  const exportArgs = (format: string) => [
    'audit',
    'export',
    '--device',
    bulk.deviceId,
    '--since',
    '1d',
    '-o',
    format,
  ];

  it.each(['ndjson', 'csv'])(
    'killed mid-way (SIGKILL), then --resume: the file equals an uninterrupted export byte for byte (%s)',
    async (format) => {
      const whole = out(`whole.${format}`);
      const cut = out(`cut.${format}`);
      expect((await fleetops(...exportArgs(format), '--out', whole)).code).toBe(0);

      const proxy = await startStallingProxy(url, STALL_AFTER_BYTES);
      const child = spawn(process.execPath, [BIN, ...exportArgs(format), '--out', cut], {
        env: { ...env, FLEETOPS_SERVER: proxy.url },
        stdio: 'ignore',
      });
      const record = await resumeRecordOf(cut, child);
      child.kill('SIGKILL');
      await once(child, 'close');
      await proxy.close();
      const { size: cutSize } = await stat(cut);
      const { size: wholeSize } = await stat(whole);
      expect(cutSize).toBeGreaterThanOrEqual(record.length);
      expect(record.length).toBeLessThan(wholeSize);

      const resumed = await fleetops(...exportArgs(format), '--out', cut, '--resume');
      expect(resumed.code).toBe(0);
      expect(resumed.stderr).toContain(`continuing after event`);
      expect((await stat(cut)).size).toBe(wholeSize);
      expect(await sha256(cut)).toBe(await sha256(whole));
      expect(existsSync(`${cut}.resume.json`)).toBe(false);
    },
    180_000,
  );

  it('Ctrl-C stops cleanly, keeps the record and says how to resume; other flags are refused', async () => {
    const cut = out('interrupted.ndjson');
    const proxy = await startStallingProxy(url, STALL_AFTER_BYTES);
    const child = spawn(
      process.execPath,
      [BIN, ...exportArgs('ndjson'), '--type', 'location', '--out', cut],
      {
        env: { ...env, FLEETOPS_SERVER: proxy.url },
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr!.on('data', (chunk) => (stderr += chunk));
    await resumeRecordOf(cut, child);
    child.kill('SIGINT');
    const [code] = (await once(child, 'close')) as [number];
    await proxy.close();
    expect(code).toBe(130);
    expect(stderr).toMatch(/warning: export stopped \(SIGINT\) after event \d+/);
    expect(stderr).toContain(
      `continue it with: fleetops audit export -o ndjson --type location --device ${bulk.deviceId} --since 1d --out ${cut} --resume`,
    );
    expect(existsSync(`${cut}.resume.json`)).toBe(true);

    const other = await fleetops(...exportArgs('ndjson'), '--out', cut, '--resume');
    expect(other.code).toBe(2);
    expect(other.stderr).toContain('--type was location, now (not given)');
    const again = await fleetops(...exportArgs('ndjson'), '--out', cut);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('add --resume to continue it, or --force to start over');

    const resumed = await fleetops(...exportArgs('ndjson'), '--type', 'location', '--out', cut, '--resume');
    expect(resumed.code).toBe(0);
    const ids = (await readFile(cut, 'utf8'))
      .trimEnd()
      .split('\n')
      .map((line) => (JSON.parse(line) as DeviceEvent).id);
    expect(ids).toHaveLength(BULK_EVENTS / 2);
    expect(new Set(ids).size).toBe(ids.length);
  }, 120_000);
});

describe('a simulated fleet', () => {
  it('exports what the devices uploaded: the file parses back to the stored events, --redact hides their numbers', async () => {
    const token = await adminApi<{ token: string }>(url, env.FLEETOPS_TOKEN!, '/v1/enrollment-tokens', {
      group: 'simulated',
    });
    await collectIn(sdk, ['simulated'], ['location', 'callLog', 'networkInfo'], 'simulated-audit');
    // An hour of phone use a second, the users keeping their permissions.
    const fleet = await startFleet({
      serverUrl: url,
      enrollmentToken: token.token,
      devices: 3,
      pollWaitSeconds: 5,
      auditSpeed: 3600,
      consentChanges: false,
    });
    try {
      await fleet.ready;
      while (
        (await sdk.audit.events.list({ group: 'simulated', category: 'callLog', limit: 20 })).data.length < 20
      ) {
        await sleep(200);
      }
    } finally {
      await fleet.stop();
    }
    const stored = await sdk.audit.events.list({ group: 'simulated', limit: 1000 }).toArray();

    const run = await fleetops('audit', 'export', '--group', 'simulated', '--out', out('simulated.csv'));
    expect(run.code).toBe(0);
    const rows = parseCsv(await readFile(out('simulated.csv')), { columns: true }) as Record<
      string,
      string
    >[];
    expect(rows.map((r) => [r.id, r.deviceId, r.category, JSON.parse(r.data!)])).toEqual(
      stored.map((e) => [e.id, e.deviceId, e.category, e.data]),
    );

    const numbers = stored.flatMap((e) => (e.category === 'callLog' && e.data.number ? [e.data.number] : []));
    expect(numbers.length).toBeGreaterThan(0);
    const redacted = await fleetops(
      'audit',
      'export',
      '--group',
      'simulated',
      '--type',
      'call-log',
      '--redact',
    );
    expect(redacted.code).toBe(0);
    for (const number of numbers) expect(redacted.stdout).not.toContain(number);

    const device = JSON.parse(
      (await fleetops('devices', 'get', stored[0]!.deviceId!, '-o', 'json')).stdout,
    ) as {
      audit: DeviceConsent['categories'];
    };
    const storedOf = (category: string) =>
      stored.filter((e) => e.deviceId === stored[0]!.deviceId && e.category === category).length;
    for (const category of ['location', 'callLog', 'networkInfo']) {
      expect(device.audit.find((c) => c.category === category)).toMatchObject({
        collecting: true,
        stored: storedOf(category),
      });
    }
  }, 120_000);
});

describe('audit query', () => {
  it('lists the events of a device, type and time', async () => {
    const run = await fleetops(
      'audit',
      'query',
      '--device',
      field.deviceId,
      '--type',
      'app-usage',
      '--since',
      '24h',
      '-o',
      'json',
    );
    expect(run.code).toBe(0);
    const events = JSON.parse(run.stdout) as DeviceEvent[];
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ deviceId: field.deviceId, category: 'appUsage' });
    const none = await fleetops('audit', 'query', '--device', field.deviceId, '--until', '2h');
    expect(none).toMatchObject({ code: 0, stdout: '', stderr: 'no events match\n' });
  });
});

describe('devices get: consent and collection', () => {
  it('shows the grants and, per category, collecting, stored and dropped counts', async () => {
    const json = await fleetops('devices', 'get', denied.deviceId, '-o', 'json');
    expect(json.code).toBe(0);
    const device = JSON.parse(json.stdout) as Device & { audit: DeviceConsent['categories'] };
    expect(device.consent).toEqual({ ...ALL_GRANTED, location: false });
    const category = (name: string) => device.audit.find((c) => c.category === name);
    expect(category('location')).toMatchObject({
      collecting: false,
      stored: 0,
      dropped: { policy: 0, consent: 2 },
    });
    expect(category('signInOut')).toMatchObject({
      collecting: false,
      stored: 0,
      dropped: { policy: 1, consent: 0 },
    });
    expect(category('callLog')).toMatchObject({
      collecting: true,
      stored: 1,
      dropped: { policy: 0, consent: 0 },
    });

    const table = await fleetops('devices', 'get', denied.deviceId);
    expect(table.stdout).toMatch(/│ Consent\s+│ granted: files, callLog, appUsage; not granted: location/);
    expect(table.stdout).toContain('Audit collection:');
    expect(table.stdout).toMatch(
      /│ location\s+│ location\s+│ on\s+│ no\s+│ no\s+│ \S+\s+│ 0\s+│ 0\s+│ 2\s+│/,
    );
  });
});

describe('activity log', () => {
  it('keeps each change with the CI commit and --context; audit activity filters it', async () => {
    const run = await runCli(
      ['devices', 'label', field.deviceId, '--add', 'audited', '--context', 'ticket=CHG-7', '-o', 'json'],
      { ...env, GITHUB_SHA: 'f00dfeed', GITHUB_RUN_ID: '4242' },
    );
    expect(run.code).toBe(0);
    const activity = await fleetops(
      'audit',
      'activity',
      '--action',
      'devices.update',
      '--target',
      field.deviceId,
      '-o',
      'json',
    );
    expect(activity.code).toBe(0);
    const entries = JSON.parse(activity.stdout) as ActivityEntry[];
    expect(entries.at(-1)).toMatchObject({
      action: 'devices.update',
      target: { type: 'device', id: field.deviceId },
      context: { gitCommit: 'f00dfeed', ciRun: '4242', ticket: 'CHG-7' },
      actor: { tokenName: 'bootstrap-admin' },
    });
    const byActor = await fleetops('audit', 'activity', '--actor', 'bootstrap-admin', '--since', '30d');
    expect(byActor.stdout).toMatch(/devices\.update\s+│ device /);
    const nobody = await fleetops('audit', 'activity', '--actor', 'nobody');
    expect(nobody.stderr).toBe('no activity matches\n');
  });

  it('a bad --context is a usage error', async () => {
    const run = await fleetops('devices', 'label', field.deviceId, '--add', 'x', '--context', 'no-value');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('expected key=value');
  });

  it('verify: ok, saving the head as witness; exit 5 once an entry is edited in the database', async () => {
    const witness = out('witness.json');
    const ok = await fleetops('audit', 'verify', '--witness', witness);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^ok: \d+ entries, head \d+ [0-9a-f]{64}, /);
    const head = JSON.parse(await readFile(witness, 'utf8')) as { seq: number; hash: string };
    expect(ok.stdout).toContain(`head ${head.seq} ${head.hash}`);

    const [entry] = await db.query<{ seq: string }>(
      "SELECT seq FROM activity_log WHERE action = 'devices.update' ORDER BY seq LIMIT 1",
    );
    await db.query(`UPDATE activity_log SET context = '{"ticket":"CHG-8"}' WHERE seq = $1`, [entry!.seq]);
    const broken = await fleetops('audit', 'verify', '--witness', witness);
    expect(broken.code).toBe(5);
    expect(broken.stdout).toMatch(new RegExp(`^broken at entry ${entry!.seq} \\(edited\\): .+\\n$`));
    expect(JSON.parse(await readFile(witness, 'utf8'))).toEqual(head);
    const json = await fleetops('audit', 'verify', '-o', 'json');
    expect(json.code).toBe(5);
    expect(JSON.parse(json.stdout)).toMatchObject({
      ok: false,
      broken: { kind: 'edited', seq: Number(entry!.seq) },
    });
  });
});
