import { cp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { PolicyPlan, type PolicyRevision } from '@fleetops/protocol';
import { type RunningServer, startServer } from '@fleetops/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { cliEnv, enrollDevice, runCli, tempDir } from './helpers';

const EXAMPLES = new URL('../../../examples/policy-repo/policies', import.meta.url).pathname;

let server: RunningServer;
let work: Awaited<ReturnType<typeof tempDir>>;
let env: NodeJS.ProcessEnv;
/** A copy of the example policies, edited by the tests. */
let repo: string;

const fleetops = (...args: string[]) => runCli(args, env);

/** Changes one example file of the copy. */
async function edit(file: string, from: string, to: string) {
  const path = join(repo, file);
  const text = await readFile(path, 'utf8');
  if (!text.includes(from)) throw new Error(`${file} has no ${from}`);
  await writeFile(path, text.replace(from, to));
}

beforeAll(async () => {
  server = await startServer({ port: 0, logLevel: 'silent' });
  // A group exists once a device or an enrollment token has it.
  for (const group of ['sales', 'support', 'warehouse', 'byod', 'kiosk']) {
    await server.createEnrollmentToken({ group });
  }
  work = await tempDir('policy');
  repo = join(work.path, 'policies');
  await cp(EXAMPLES, repo, { recursive: true });
  env = cliEnv(join(work.path, 'config'), {
    FLEETOPS_SERVER: server.url,
    FLEETOPS_TOKEN: server.adminToken!,
  });
});

afterAll(async () => {
  await server?.close();
  await work?.remove();
});

describe('policy validate', () => {
  it('valid files: exit 0 and how many, without any server', async () => {
    const run = await runCli(['policy', 'validate', repo], cliEnv(join(work.path, 'none')));
    expect(run).toMatchObject({ code: 0, stdout: '4 policies valid\n', stderr: '' });
  });

  it('bad files: every problem as file:line:col: path: message, then exit 1', async () => {
    const bad = new URL('./fixtures/policies/bad/', import.meta.url).pathname;
    const run = await fleetops(
      'policy',
      'validate',
      `${bad}wrong-kind.yaml`,
      `${bad}empty-groups.yaml`,
      repo,
    );
    expect(run.code).toBe(1);
    expect(run.stderr.split('\n')).toEqual([
      `${bad}wrong-kind.yaml:2:7: kind: expected "Policy", got "Policies"`,
      `${bad}empty-groups.yaml:25:13: spec.assignment.groups: needs at least 1 entry`,
      'error: 2 problems in 2 of 6 policy files',
      '',
    ]);
  });
});

describe('plan and apply', () => {
  it('plan, apply, plan again: --detailed-exitcode 2 with changes, then 0', async () => {
    const first = await fleetops('policy', 'plan', repo, '--detailed-exitcode');
    expect(first.code).toBe(2);
    expect(first.stdout).toContain('+ corp-baseline\n');
    expect(first.stdout).toContain('+ kiosk-lockdown\n');
    expect(first.stdout).toContain('4 to create, 0 to update, 0 to delete, 0 unchanged, against revision 0');

    const refused = await fleetops('policy', 'apply', repo);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('error: refusing to apply these changes without confirmation');
    expect(refused.stderr).toContain('hint: pass --yes to confirm');

    const applied = await fleetops(
      'policy',
      'apply',
      repo,
      '--yes',
      '-m',
      'first policies',
      '--context',
      'commit=abc123,ci-run=https://ci.example.com/runs/7',
    );
    expect(applied).toMatchObject({ code: 0, stdout: 'revision 1: 4 created, 0 updated, 0 deleted\n' });

    const again = await fleetops('policy', 'plan', repo, '--detailed-exitcode');
    expect(again).toMatchObject({
      code: 0,
      stdout: 'no changes: the live policies match the files (revision 1)\n',
    });
    const noop = await fleetops('policy', 'apply', repo, '--yes');
    expect(noop).toMatchObject({
      code: 0,
      stdout: 'no changes: the live policies match the files (revision 1)\n',
    });
  });

  it('an edited file plans as an update, field by field; -o json is the plan itself', async () => {
    await edit('sales-field.yaml', 'cameraDisabled: false', 'cameraDisabled: true');
    const human = await fleetops('policy', 'plan', repo, '--detailed-exitcode');
    expect(human.code).toBe(2);
    expect(human.stdout).toContain('~ sales-field\n    spec.restrictions.cameraDisabled: false → true\n');
    const json = await fleetops('policy', 'plan', repo, '-o', 'json');
    expect(json.code).toBe(0);
    const plan = JSON.parse(json.stdout) as PolicyPlan;
    expect(plan.summary).toMatchObject({ create: 0, update: 1, delete: 0, unchanged: 3 });
    expect(plan.changes.find((c) => c.name === 'sales-field')?.fields).toEqual([
      { path: 'spec.restrictions.cameraDisabled', from: false, to: true },
    ]);
    expect((await fleetops('policy', 'apply', repo, '--yes')).stdout).toBe(
      'revision 2: 0 created, 1 updated, 0 deleted\n',
    );
  });

  it('an edit on the server since the last apply shows as drift the apply would overwrite', async () => {
    const document = parse(await readFile(join(repo, 'kiosk-lockdown.yaml'), 'utf8'));
    document.spec.restrictions.bluetoothDisabled = false;
    const put = await fetch(`${server.url}/v1/policies/kiosk-lockdown`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${server.adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(document),
    });
    expect(put.status).toBe(200);
    const run = await fleetops('policy', 'plan', repo);
    expect(run.stdout).toContain(
      '~ kiosk-lockdown\n    spec.restrictions.bluetoothDisabled: false → true\n' +
        '  ! spec.restrictions.bluetoothDisabled: true → false: changed on the server since the last apply, would be overwritten\n',
    );
    expect(run.stdout).toContain('(1 drifted)');
    expect((await fleetops('policy', 'apply', repo, '--yes')).code).toBe(0);
  });

  it('a file without --prune leaves its live policy; with --prune it is deleted', async () => {
    const smaller = join(work.path, 'three');
    await cp(repo, smaller, { recursive: true });
    await rm(join(smaller, 'byod-minimal.yaml'));
    const kept = await fleetops('policy', 'plan', smaller, '--detailed-exitcode');
    expect(kept.code).toBe(0);
    expect(kept.stdout).toContain('not in the files, kept (--prune deletes them): byod-minimal');
    const pruned = await fleetops('policy', 'plan', smaller, '--prune', '--detailed-exitcode');
    expect(pruned.code).toBe(2);
    expect(pruned.stdout).toContain('- byod-minimal\n');
  });

  it('what only the server can check is reported at the file and field too, exit 1', async () => {
    const odd = join(work.path, 'odd');
    await cp(repo, odd, { recursive: true });
    const byod = await readFile(join(odd, 'byod-minimal.yaml'), 'utf8');
    await writeFile(join(odd, 'byod-minimal.yaml'), byod.replace('groups: [byod]', 'groups: [byod, ghosts]'));
    const kiosk = await readFile(join(odd, 'kiosk-lockdown.yaml'), 'utf8');
    await writeFile(
      join(odd, 'zz-kiosk-extra.yaml'),
      kiosk
        .replace('name: kiosk-lockdown', 'name: kiosk-extra')
        .replace('groups: [kiosk]', 'groups: [byod]')
        .replace('priority: 100', 'priority: 10'),
    );
    const run = await fleetops('policy', 'plan', odd);
    expect(run.code).toBe(1);
    expect(run.stderr.split('\n')).toEqual([
      `${odd}/byod-minimal.yaml:16:20: spec.assignment.groups[1]: no device or enrollment token of this org is in group ghosts`,
      `${odd}/zz-kiosk-extra.yaml:36:15: spec.assignment.priority: priority 10 is already used in group byod (also policy byod-minimal, documents[0]): give each policy of a group its own priority`,
      'error: 2 problems in 2 of 5 policy files',
      '',
    ]);
  });
});

describe('pull, history, rollback', () => {
  it('pull writes every live policy; planning the pulled files shows no change', async () => {
    const pulled = join(work.path, 'pulled');
    const run = await fleetops('policy', 'pull', pulled, '-o', 'json');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).map((p: { file: string }) => p.file)).toEqual(
      ['byod-minimal', 'corp-baseline', 'kiosk-lockdown', 'sales-field'].map((n) =>
        join(pulled, `${n}.yaml`),
      ),
    );
    expect(await readdir(pulled)).toHaveLength(4);
    expect(await readFile(join(pulled, 'sales-field.yaml'), 'utf8')).toMatch(
      /^apiVersion: fleetops.dev\/v1\nkind: Policy\nmetadata:\n {2}name: sales-field\n/,
    );
    const plan = await fleetops('policy', 'plan', pulled, '--detailed-exitcode');
    expect(plan.code).toBe(0);
  });

  it('history lists the revisions newest first, with message and context', async () => {
    const run = await fleetops('policy', 'history', '-o', 'json');
    expect(run.code).toBe(0);
    const revisions = JSON.parse(run.stdout) as PolicyRevision[];
    expect(revisions[0]!.revision).toBeGreaterThan(revisions.at(-1)!.revision);
    expect(revisions.at(-1)).toMatchObject({
      revision: 1,
      source: 'apply',
      message: 'first policies',
      context: { commit: 'abc123', ciRun: 'https://ci.example.com/runs/7' },
      created: ['byod-minimal', 'corp-baseline', 'kiosk-lockdown', 'sales-field'],
    });
  });

  it('rollback needs --yes in a script, then makes the set what it was after that revision', async () => {
    expect((await fleetops('policy', 'rollback', '--to', '1')).code).toBe(2);
    const run = await fleetops('policy', 'rollback', '--to', '1', '--yes', '-o', 'json');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).revision).toMatchObject({ source: 'rollback', rolledBackTo: 1 });
    const plan = await fleetops('policy', 'plan', EXAMPLES, '--detailed-exitcode');
    expect(plan.code).toBe(0);
  });
});

describe('a plan gone stale', () => {
  let stale: Server;
  let url: string;

  beforeAll(async () => {
    const plan = PolicyPlan.parse({
      baseRevision: 3,
      lastAppliedRevision: 3,
      changes: [{ name: 'corp-baseline', action: 'create', fields: [], drift: [] }],
      summary: { create: 1, update: 0, delete: 0, unchanged: 0, drifted: 0 },
      notPruned: [],
    });
    // A server whose policy set moves on between the plan and the apply.
    stale = createServer((request, response) => {
      const conflict = request.url === '/v1/policy-revisions';
      response.writeHead(conflict ? 409 : 200, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify(
          conflict
            ? {
                error: {
                  code: 'conflict',
                  message:
                    'the policies changed since the plan: revision 4 is live, the plan was made on 3; plan again',
                  requestId: 'req-1',
                },
              }
            : plan,
        ),
      );
    });
    await new Promise<void>((resolve) => stale.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(stale.address() as { port: number }).port}`;
  });

  afterAll(() => new Promise((resolve) => stale?.close(resolve)));

  it('apply is refused with one line telling to plan again, exit 1', async () => {
    const run = await runCli(
      ['policy', 'apply', EXAMPLES, '--yes', '-q'],
      cliEnv(join(work.path, 'config'), { FLEETOPS_SERVER: url, FLEETOPS_TOKEN: 'fot_test' }),
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      'error: 409 conflict: the policies changed since the plan: revision 4 is live, the plan was made on 3; plan again (request req-1)\n' +
        'hint: plan again (fleetops policy plan), then apply\n',
    );
  });
});

describe('policy drift', () => {
  it('lists the devices not running their group policy (exit 3), and nothing for a group without drift', async () => {
    const checkIn = async (credential: string, body: object) =>
      (
        await fetch(`${server.url}/device/v1/checkin`, {
          method: 'POST',
          headers: { authorization: `Bearer ${credential}`, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        })
      ).json();
    const token = (group: string) => server.createEnrollmentToken({ group }).then((t) => t.token);
    const silent = await enrollDevice(server.url, await token('sales'));
    const current = await enrollDevice(server.url, await token('kiosk'));
    const { policy } = await checkIn(current.credential, {});
    await checkIn(current.credential, { policy: { hash: policy.hash } });

    const run = await fleetops('policy', 'drift', '-o', 'json');
    expect(run.code).toBe(3);
    const drift = JSON.parse(run.stdout) as { deviceId: string; appliedHash: string | null }[];
    expect(drift).toEqual([expect.objectContaining({ deviceId: silent.deviceId, appliedHash: null })]);
    const kiosk = await fleetops('policy', 'drift', '--group', 'kiosk');
    expect(kiosk.code).toBe(0);
    expect(kiosk.stderr).toContain('no drift');

    const fields = await fleetops('devices', 'policy', current.deviceId, '-o', 'json');
    expect(fields.code).toBe(0);
    expect(fields.stderr).toContain('the device runs it');
    const rows = JSON.parse(fields.stdout) as { field: string; policy: string; version: number }[];
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((row) => row.policy === 'kiosk-lockdown' && row.version >= 1)).toBe(true);
  });
});
