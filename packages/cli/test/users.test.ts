import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type {
  Device,
  EnrollResponse,
  ImportUsersResult,
  OffboardUserResult,
  OrgSettings,
  User,
} from '@fleetops/protocol';
import { FleetClient } from '@fleetops/sdk';
import { type RunningServer, startServer } from '@fleetops/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_GRANTED, checkIn, collectIn, sampleEvent, uploadEvents } from './audit-fixtures';
import { cliEnv, deviceFacts, enrollDevice, runCli, tempDir } from './helpers';

let server: RunningServer;
let sdk: FleetClient;
let dir: Awaited<ReturnType<typeof tempDir>>;
let env: NodeJS.ProcessEnv;
let phone: EnrollResponse;
let tablet: EnrollResponse;

const fleetops = (...args: string[]) => runCli(args, env);
const json = <T>(text: string) => JSON.parse(text) as T;
const file = (name: string) => join(dir.path, name);

beforeAll(async () => {
  server = await startServer({ port: 0, logLevel: 'silent' });
  dir = await tempDir('users');
  env = cliEnv(dir.path, { FLEETOPS_SERVER: server.url, FLEETOPS_TOKEN: server.adminToken! });
  sdk = new FleetClient({ baseUrl: server.url, token: server.adminToken! });
  const enrollment = await server.createEnrollmentToken({ group: 'staff' });
  phone = await enrollDevice(server.url, enrollment.token, deviceFacts());
  tablet = await enrollDevice(server.url, enrollment.token, deviceFacts());
  for (const device of [phone, tablet]) await checkIn(server.url, device, ALL_GRANTED);
  await collectIn(sdk, ['staff'], ['location', 'callLog']);
});

afterAll(async () => {
  await sdk?.close();
  await server?.close();
  await dir?.remove();
});

describe('users create, get, ls', () => {
  it('creates a user, found again by id or e-mail', async () => {
    const created = await fleetops(
      'users',
      'create',
      '--email',
      'alice@example.com',
      '--name',
      'Alice Example',
      '--phone',
      '+14155550100',
      '-o',
      'json',
    );
    expect(created.code).toBe(0);
    const alice = json<User>(created.stdout);
    expect(alice).toMatchObject({ email: 'alice@example.com', name: 'Alice Example', status: 'active' });
    const byEmail = await fleetops('users', 'get', 'ALICE@example.com', '-o', 'json');
    expect(json<User>(byEmail.stdout).id).toBe(alice.id);
    const byId = await fleetops('users', 'get', alice.id);
    expect(byId.stdout).toMatch(/│ E-mail\s+│ alice@example\.com/);
  });

  it('a second account for the same e-mail is refused', async () => {
    const run = await fleetops('users', 'create', '--email', 'Alice@Example.com', '--name', 'Other');
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error: 409 conflict: .*alice@example\.com/i);
  });

  it('an unknown user or something that is neither id nor e-mail is one clear line', async () => {
    const unknown = await fleetops('users', 'get', 'nobody@example.com');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^error: user nobody@example\.com not found/);
    const neither = await fleetops('users', 'get', 'bob');
    expect(neither).toMatchObject({
      code: 2,
      stderr: 'error: "bob" is neither a user id (a UUID) nor an e-mail address\n',
    });
  });
});

describe('users import', () => {
  it('a file with bad lines: exit 2 naming each line, nothing created', async () => {
    await writeFile(
      file('bad.csv'),
      'email,name,phone\nbob@example.com,Bob,\nnot-an-email,Carol,\ndave@example.com,Dave,12345\n',
    );
    const before = json<User[]>((await fleetops('users', 'ls', '-o', 'json')).stdout).length;
    const run = await fleetops('users', 'import', file('bad.csv'));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`error: ${file('bad.csv')}:3: email: not a valid e-mail address`);
    expect(run.stderr).toContain(`${file('bad.csv')}:4: phone: a phone number is in E.164 form`);
    expect(run.stderr).not.toContain(':2:');
    const after = json<User[]>((await fleetops('users', 'ls', '-o', 'json')).stdout);
    expect(after).toHaveLength(before);
    expect(after.map((u) => u.email)).not.toContain('bob@example.com');
  });

  it('imports every row, and again creates nothing: existing accounts are named by line', async () => {
    await writeFile(
      file('staff.csv'),
      'name,email,externalId\nBob Builder,bob@example.com,HR-1\nCarol Singer,carol@example.com,HR-2\nAlice Example,alice@example.com,HR-0\n',
    );
    const first = await fleetops('users', 'import', file('staff.csv'), '-o', 'json');
    expect(first.code).toBe(0);
    expect(json<ImportUsersResult>(first.stdout)).toMatchObject({
      created: 2,
      existing: [{ email: 'alice@example.com', line: 4 }],
    });
    const again = await fleetops('users', 'import', file('staff.csv'));
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('3 already had an account and were left as they are (line 2, 3, 4)');
    const active = await fleetops('users', 'ls', '--status', 'active', '-o', 'csv');
    expect(active.stdout).toContain('bob@example.com,Bob Builder,active,0,HR-1');
  });
});

describe('owners, disabling, offboarding', () => {
  it('devices set-owner takes a user by e-mail, and none', async () => {
    const set = await fleetops('devices', 'set-owner', tablet.deviceId, 'carol@example.com', '-o', 'json');
    expect(set.code).toBe(0);
    const carol = json<User>((await fleetops('users', 'get', 'carol@example.com', '-o', 'json')).stdout);
    expect(json<Device>(set.stdout).ownerId).toBe(carol.id);
    const cleared = await fleetops('devices', 'set-owner', tablet.deviceId, 'none', '-o', 'json');
    expect(json<Device>(cleared.stdout).ownerId).toBeNull();
  });

  it('disable refuses the user’s devices at once; enable lets them back', async () => {
    await fleetops('devices', 'set-owner', tablet.deviceId, 'carol@example.com');
    const disabled = await fleetops('users', 'disable', 'carol@example.com', '-o', 'json');
    expect(json<User>(disabled.stdout).status).toBe('disabled');
    const refused = await fetch(`${server.url}/device/v1/checkin`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tablet.credential}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(refused.status).toBe(403);
    expect((await refused.json()).error.code).toBe('device_disabled');
    const enabled = await fleetops('users', 'enable', 'carol@example.com', '-o', 'json');
    expect(json<User>(enabled.stdout).status).toBe('active');
    await checkIn(server.url, tablet, ALL_GRANTED);
  });

  it('offboard asks for confirmation; --yes retires the devices and erases the personal data', async () => {
    await fleetops('devices', 'set-owner', phone.deviceId, 'bob@example.com');
    await uploadEvents(server.url, phone, [sampleEvent('location'), sampleEvent('callLog')]);
    const refused = await fleetops('users', 'offboard', 'bob@example.com', '--retire-devices');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('refusing to offboard bob@example.com, retire their 1 device(s)');

    const bob = json<User>((await fleetops('users', 'get', 'bob@example.com', '-o', 'json')).stdout);
    const run = await fleetops(
      'users',
      'offboard',
      'bob@example.com',
      '--retire-devices',
      '--erase-personal-data',
      '--yes',
      '-o',
      'json',
    );
    expect(run.code).toBe(0);
    const result = json<OffboardUserResult>(run.stdout);
    const { retentionAction } = json<OrgSettings>((await fleetops('settings', 'get', '-o', 'json')).stdout);
    expect(result).toMatchObject({
      user: { id: bob.id, status: 'offboarded', email: null, name: null },
      devicesRetired: 1,
      [retentionAction === 'delete' ? 'eventsDeleted' : 'eventsAnonymized']: 2,
    });
    const device = json<Device>((await fleetops('devices', 'get', phone.deviceId, '-o', 'json')).stdout);
    expect(device.status).toBe('retired');
    const events = await fleetops('audit', 'query', '--device', phone.deviceId, '-o', 'json');
    expect(json<unknown[]>(events.stdout)).toEqual([]);
    const byId = await fleetops('users', 'get', bob.id);
    expect(byId.stdout).toMatch(/│ Status\s+│ offboarded/);
  });

  it('export-data writes everything about a user as one JSON object, and refuses to overwrite', async () => {
    await uploadEvents(server.url, tablet, [sampleEvent('location')]);
    const out = file('carol.json');
    const run = await fleetops('users', 'export-data', 'carol@example.com', '--out', out);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/^wrote the data of user \S+ to .*carol\.json \(\d+(\.\d)? (B|kB)\)\n$/);
    const data = json<{
      user: User;
      devices: Device[];
      events: unknown[];
      commands: unknown[];
      activity: unknown[];
    }>(await readFile(out, 'utf8'));
    expect(Object.keys(data)).toEqual(['user', 'devices', 'events', 'commands', 'activity']);
    expect(data.user.email).toBe('carol@example.com');
    expect(data.devices.map((d) => d.id)).toEqual([tablet.deviceId]);
    expect(data.events).toHaveLength(1);
    expect(data.activity.length).toBeGreaterThan(0);
    const again = await fleetops('users', 'export-data', 'carol@example.com', '--out', out);
    expect(again).toMatchObject({
      code: 2,
      stderr: `error: ${out} exists\nhint: pass --force to overwrite it\n`,
    });
  });
});
