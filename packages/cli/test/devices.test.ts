import type { Device } from '@fleetops/protocol';
import { type RunningServer, startServer } from '@fleetops/server';
import { parse as parseCsv } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { adminApi, cliEnv, deviceFacts, enrollDevice, runCli, tempDir } from './helpers';

let server: RunningServer;
let configDir: Awaited<ReturnType<typeof tempDir>>;
let env: NodeJS.ProcessEnv;
let adminToken: string;
const ids = { pixel: '', iphone: '', galaxy: '' };

const fleetops = (...args: string[]) => runCli(args, env);
const json = <T>(text: string) => JSON.parse(text) as T;

beforeAll(async () => {
  server = await startServer({ port: 0, logLevel: 'silent' });
  adminToken = server.adminToken!;
  configDir = await tempDir('devices');
  env = cliEnv(configDir.path, { FLEETOPS_SERVER: server.url, FLEETOPS_TOKEN: adminToken });
  const sales = await server.createEnrollmentToken({ group: 'sales' });
  const field = await server.createEnrollmentToken({ group: 'field', mode: 'COBO' });
  ids.pixel = (await enrollDevice(server.url, sales.token, deviceFacts({ model: 'Pixel 8' }))).deviceId;
  ids.iphone = (
    await enrollDevice(
      server.url,
      sales.token,
      deviceFacts({ model: 'iPhone 15', brand: 'Apple', os: 'ios', osVersion: '18.1' }),
    )
  ).deviceId;
  ids.galaxy = (
    await enrollDevice(server.url, field.token, deviceFacts({ model: 'Galaxy S24', brand: 'Samsung' }))
  ).deviceId;
});

afterAll(async () => {
  await server?.close();
  await configDir?.remove();
});

describe('devices ls', () => {
  it('--where selects devices with the selector language, together with the other filters', async () => {
    const ios = await fleetops('devices', 'ls', '--where', 'os = ios or model = "Galaxy S24"', '-o', 'json');
    expect(ios.code).toBe(0);
    expect(
      json<Device[]>(ios.stdout)
        .map((d) => d.id)
        .sort(),
    ).toEqual([ids.iphone, ids.galaxy].sort());
    const both = await fleetops('devices', 'ls', '--where', 'not locked', '--group', 'sales', '-o', 'json');
    expect(
      json<Device[]>(both.stdout)
        .map((d) => d.id)
        .sort(),
    ).toEqual([ids.pixel, ids.iphone].sort());
  });

  it('--where with a mistake is a usage error naming the column, sent to no server', async () => {
    const run = await fleetops('devices', 'ls', '--where', 'grup = sales', '--server', 'http://127.0.0.1:9');
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.split('\n')[0]).toMatch(
      /^error: --where: unknown field "grup" at column 1.*did you mean "group"/,
    );
  });

  it('-o json prints every device as a JSON array', async () => {
    const run = await fleetops('devices', 'ls', '-o', 'json');
    expect(run.code).toBe(0);
    const devices = json<Device[]>(run.stdout);
    expect(devices.map((d) => d.id).sort()).toEqual(Object.values(ids).sort());
    expect(devices.find((d) => d.id === ids.iphone)?.facts.model).toBe('iPhone 15');
  });

  it('-o ndjson prints one device per line', async () => {
    const run = await fleetops('devices', 'ls', '-o', 'ndjson');
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines.map((l) => json<Device>(l).id).sort()).toEqual(Object.values(ids).sort());
  });

  it('-o csv prints a header and one row per device', async () => {
    const run = await fleetops('devices', 'ls', '-o', 'csv');
    const rows = parseCsv(run.stdout, { columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0]!)).toEqual(
      expect.arrayContaining(['id', 'os', 'model', 'group', 'lastSeenAt']),
    );
    expect(rows.find((r) => r.id === ids.galaxy)).toMatchObject({
      model: 'Galaxy S24',
      group: 'field',
      mode: 'COBO',
    });
  });

  it('-o yaml prints a sequence of devices', async () => {
    const run = await fleetops('devices', 'ls', '-o', 'yaml');
    const devices = parseYaml(run.stdout) as Device[];
    expect(devices.map((d) => d.id).sort()).toEqual(Object.values(ids).sort());
  });

  it('the default table shows a header and each device, without colour when piped', async () => {
    const run = await fleetops('devices', 'ls');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/ID\s+│\s+OS\s+│\s+VERSION\s+│\s+MODEL/);
    for (const id of Object.values(ids)) expect(run.stdout).toContain(id);
    expect(run.stdout).not.toContain('\x1b[');
  });

  it.each([
    [['--os', 'ios'], ['iphone']],
    [['--group', 'field'], ['galaxy']],
    [
      ['--mode', 'COPE'],
      ['pixel', 'iphone'],
    ],
    [['--model', 'pixel 8'], ['pixel']],
    [
      ['--seen-within', '1h'],
      ['pixel', 'iphone', 'galaxy'],
    ],
    [['--not-seen-for', '1h'], []],
  ] as const)('filters %j', async (filter, expected) => {
    const run = await fleetops('devices', 'ls', '-o', 'json', ...filter);
    expect(run.code).toBe(0);
    const found = json<Device[]>(run.stdout).map((d) => d.id);
    expect(found.sort()).toEqual(expected.map((name) => ids[name]).sort());
  });

  it('--limit caps the number of devices', async () => {
    const run = await fleetops('devices', 'ls', '-o', 'ndjson', '--limit', '2');
    expect(run.stdout.trimEnd().split('\n')).toHaveLength(2);
  });

  it('an empty result in a table says so on stderr', async () => {
    const run = await fleetops('devices', 'ls', '--group', 'nobody');
    expect(run).toMatchObject({ code: 0, stdout: '', stderr: 'no devices match\n' });
  });
});

describe('devices get, label, set-group', () => {
  it('get shows one device', async () => {
    const run = await fleetops('devices', 'get', ids.pixel, '-o', 'json');
    expect(run.code).toBe(0);
    expect(json<Device>(run.stdout)).toMatchObject({
      id: ids.pixel,
      group: 'sales',
      facts: { model: 'Pixel 8' },
    });
  });

  it('get of an unknown id exits 1 with one line naming the id, no stack', async () => {
    const unknown = '7d1c5d4e-0000-4000-8000-000000000001';
    const run = await fleetops('devices', 'get', unknown);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(
      new RegExp(`^error: device ${unknown} not found \\(404 not_found, request [^)]+\\)\\n$`),
    );
  });

  it('get of something that is not an id is a usage error naming it', async () => {
    const run = await fleetops('devices', 'get', '123');
    expect(run).toMatchObject({ code: 2, stderr: 'error: "123" is not a device id (expected a UUID)\n' });
  });

  it('label adds and removes labels, or replaces them', async () => {
    let run = await fleetops('devices', 'label', ids.galaxy, '--add', 'rugged,emea', '-o', 'json');
    expect(json<Device>(run.stdout).labels.sort()).toEqual(['emea', 'rugged']);
    run = await fleetops('devices', 'label', ids.galaxy, '--remove', 'emea', '-o', 'json');
    expect(json<Device>(run.stdout).labels).toEqual(['rugged']);
    run = await fleetops('devices', 'ls', '--label', 'rugged', '-o', 'json');
    expect(json<Device[]>(run.stdout).map((d) => d.id)).toEqual([ids.galaxy]);
    run = await fleetops('devices', 'label', ids.galaxy, '--set', 'spare', '-o', 'json');
    expect(json<Device>(run.stdout).labels).toEqual(['spare']);
  });

  it('label with no change, or with --set and --add, is a usage error', async () => {
    expect((await fleetops('devices', 'label', ids.galaxy)).code).toBe(2);
    expect((await fleetops('devices', 'label', ids.galaxy, '--set', 'a', '--add', 'b')).code).toBe(2);
  });

  it('set-group moves a device', async () => {
    const run = await fleetops('devices', 'set-group', ids.galaxy, 'warehouse', '-o', 'json');
    expect(json<Device>(run.stdout).group).toBe('warehouse');
  });
});

describe('devices retire', () => {
  it('a viewer token is refused with the role it lacks: exit 1', async () => {
    const viewer = await adminApi<{ token: string }>(server.url, adminToken, '/v1/tokens', {
      name: 'read-only',
      role: 'viewer',
    });
    const run = await runCli(['devices', 'retire', ids.iphone, '--yes'], {
      ...env,
      FLEETOPS_TOKEN: viewer.token,
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error: 403 forbidden: this needs the admin role/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('--yes retires the device; it then lists only with --status retired', async () => {
    const run = await fleetops('devices', 'retire', ids.iphone, '--yes', '-o', 'json');
    expect(run.code).toBe(0);
    expect(json<Device>(run.stdout).status).toBe('retired');
    const active = json<Device[]>((await fleetops('devices', 'ls', '-o', 'json')).stdout);
    expect(active.map((d) => d.id)).not.toContain(ids.iphone);
    const retired = json<Device[]>(
      (await fleetops('devices', 'ls', '--status', 'retired', '-o', 'json')).stdout,
    );
    expect(retired.map((d) => d.id)).toEqual([ids.iphone]);
  });
});
