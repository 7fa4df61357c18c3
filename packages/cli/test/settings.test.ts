import type { OrgSettings } from '@fleetops/protocol';
import { type RunningServer, startServer } from '@fleetops/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminApi, cliEnv, runCli, tempDir } from './helpers';

let server: RunningServer;
let configDir: Awaited<ReturnType<typeof tempDir>>;
let env: NodeJS.ProcessEnv;

const fleetops = (...args: string[]) => runCli(args, env);
const settingsOf = (stdout: string) => JSON.parse(stdout) as OrgSettings;

beforeAll(async () => {
  server = await startServer({ port: 0, logLevel: 'silent' });
  configDir = await tempDir('settings');
  env = cliEnv(configDir.path, { FLEETOPS_SERVER: server.url, FLEETOPS_TOKEN: server.adminToken! });
});

afterAll(async () => {
  await server?.close();
  await configDir?.remove();
});

describe('settings', () => {
  it('set then get: the values round-trip, off is null, and what is not given stays', async () => {
    const set = await fleetops(
      'settings',
      'set',
      '--approval-threshold',
      '50',
      '--destructive-budget',
      '200',
      '-o',
      'json',
    );
    expect(set.code).toBe(0);
    expect(settingsOf(set.stdout)).toMatchObject({ approvalThreshold: 50, destructiveBudgetPerHour: 200 });
    const off = await fleetops('settings', 'set', '--destructive-budget', 'off', '-o', 'json');
    expect(settingsOf(off.stdout)).toMatchObject({ approvalThreshold: 50, destructiveBudgetPerHour: null });
    const get = await fleetops('settings', 'get', '-o', 'json');
    expect(get).toMatchObject({ code: 0, stderr: '' });
    expect(settingsOf(get.stdout)).toMatchObject({ approvalThreshold: 50, destructiveBudgetPerHour: null });
  });

  it('get as a table says off for a setting that is off', async () => {
    await fleetops('settings', 'set', '--approval-threshold', '0', '--destructive-budget', 'off');
    const run = await fleetops('settings', 'get');
    expect(run.stdout).toMatch(/│ Approval threshold \(devices\)\s+│ 0 /);
    expect(run.stdout).toMatch(/│ Destructive budget \(per hour\)\s+│ off /);
  });

  it.each([
    [['--approval-threshold', '-1'], 'expected a whole number of at least 0, or off'],
    [['--destructive-budget', '0'], 'expected a whole number of at least 1, or off'],
    [[], 'error: nothing to change'],
  ])('set %j is a usage error: exit 2, nothing changed', async (flags, message) => {
    const before = await adminApi<OrgSettings>(server.url, server.adminToken!, '/v1/settings');
    const run = await fleetops('settings', 'set', ...flags);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
    expect(await adminApi<OrgSettings>(server.url, server.adminToken!, '/v1/settings')).toEqual(before);
  });

  it('retention per type and what follows it: KEY=VALUE, one type at a time, default to unset', async () => {
    const set = await fleetops(
      'settings',
      'set',
      'retention.location=30d',
      'retention.call-log=7d',
      'retentionAction=delete',
      '-o',
      'json',
    );
    expect(set.code).toBe(0);
    expect(settingsOf(set.stdout)).toMatchObject({
      retention: { location: '30d', callLog: '7d' },
      retentionAction: 'delete',
    });
    const one = await fleetops(
      'settings',
      'set',
      'retention.location=default',
      'retentionAction=anonymize',
      '-o',
      'json',
    );
    expect(settingsOf(one.stdout)).toMatchObject({
      retention: { callLog: '7d' },
      retentionAction: 'anonymize',
    });
    expect(settingsOf(one.stdout).retention.location).toBeUndefined();
    const table = await fleetops('settings', 'get');
    expect(table.stdout).toMatch(/│ After retention\s+│ anonymize /);
    expect(table.stdout).toMatch(/│ Retention: callLog\s+│ 7d /);
    expect(table.stdout).toMatch(/│ Retention: location\s+│ 90d \(default\) /);
  });

  it.each([
    ['retention.calls=30d', 'unknown setting "retention.calls"'],
    ['retention.location=forever', 'expected a duration such as 30d, or default'],
  ])('set %s is a usage error', async (assignment, message) => {
    const run = await fleetops('settings', 'set', assignment);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
  });

  it('set with a token below admin is refused, naming the role needed', async () => {
    const created = await fleetops('tokens', 'create', '--name', 'ops', '--role', 'operator', '-o', 'json');
    const operator = (JSON.parse(created.stdout) as { token: string }).token;
    const run = await runCli(['settings', 'set', '--approval-threshold', '5'], {
      ...env,
      FLEETOPS_TOKEN: operator,
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('hint: log in with a token of the admin role or higher');
  });
});
