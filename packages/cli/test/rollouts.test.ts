import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Rollout } from '@fleetops/protocol';
import { type RunningServer, startServer } from '@fleetops/server';
import { type RunningFleet, startFleet } from '@fleetops/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliEnv, runCli, tempDir } from './helpers';

let server: RunningServer;
let fleet: RunningFleet;
let work: Awaited<ReturnType<typeof tempDir>>;
let env: NodeJS.ProcessEnv;
let policyFile: string;

const fleetops = (...args: string[]) => runCli(args, env);

/** Writes the one policy file of the test, assigned to the simulated devices. */
const writePolicy = (cameraDisabled: boolean, screenCaptureDisabled = false) =>
  writeFile(
    policyFile,
    [
      'apiVersion: fleetops.dev/v1',
      'kind: Policy',
      'metadata:',
      '  name: camera',
      'spec:',
      '  restrictions:',
      `    cameraDisabled: ${cameraDisabled}`,
      `    screenCaptureDisabled: ${screenCaptureDisabled}`,
      '  assignment:',
      '    groups: [simulated]',
      '    priority: 10',
      '',
    ].join('\n'),
  );

beforeAll(async () => {
  server = await startServer({ port: 0, logLevel: 'silent', checkInIntervalSeconds: 1 });
  const enrollment = await server.createEnrollmentToken({ group: 'simulated' });
  fleet = await startFleet({
    serverUrl: server.url,
    enrollmentToken: enrollment.token,
    devices: 4,
    pollWaitSeconds: 1,
  });
  await fleet.ready;
  work = await tempDir('rollouts');
  policyFile = join(work.path, 'camera.yaml');
  env = cliEnv(join(work.path, 'config'), {
    FLEETOPS_SERVER: server.url,
    FLEETOPS_TOKEN: server.adminToken!,
  });
  await writePolicy(true);
  const released = await fleetops('policy', 'apply', policyFile, '--yes');
  expect(released.code).toBe(0);
});

afterAll(async () => {
  await fleet?.stop();
  await server?.close();
  await work?.remove();
});

describe('staged apply and rollout', () => {
  it('a staged version reaches every device through waves 50%,100%: completed, exit 0', async () => {
    await writePolicy(false);
    const staged = await fleetops('policy', 'apply', policyFile, '--yes', '--staged');
    expect(staged.code).toBe(0);
    expect(staged.stderr).toContain(
      'staged: devices keep their version of camera until: fleetops policy rollout camera --waves',
    );

    const run = await fleetops(
      'policy',
      'rollout',
      'camera',
      '--waves',
      '50%,100%',
      '--wait',
      '--timeout',
      '2m',
    );
    expect(run.stderr).toMatch(/rollout \S+ of camera v1 → v2 running: wave 1\/2, /);
    expect(run.stdout).toMatch(/STATUS\s+│ completed/);
    expect(run.stdout).toMatch(/APPLIED\s+│ 4 /);
    expect(run.code).toBe(0);
    // Every device runs the released version now.
    expect((await fleetops('policy', 'drift')).code).toBe(0);
  });

  it('pause, resume, then rollback by name; status then exits 3', async () => {
    await writePolicy(false, true);
    expect((await fleetops('policy', 'apply', policyFile, '--yes', '--staged')).code).toBe(0);
    const created = await fleetops(
      'policy',
      'rollout',
      'camera',
      '--waves',
      '1,100%',
      '--pause',
      '1h',
      '-o',
      'json',
    );
    expect(created.code).toBe(0);
    expect(JSON.parse(created.stdout)).toMatchObject({ policy: 'camera', fromVersion: 2, toVersion: 3 });

    const paused = await fleetops('policy', 'rollout', 'pause', 'camera', '-o', 'json');
    expect(paused.code).toBe(0);
    expect((JSON.parse(paused.stdout) as Rollout).status).toBe('paused');

    const resumed = await fleetops('policy', 'rollout', 'resume', 'camera', '-o', 'json');
    expect((JSON.parse(resumed.stdout) as Rollout).status).toBe('running');

    const unconfirmed = await fleetops('policy', 'rollback', 'camera');
    expect(unconfirmed.code).toBe(2);
    const rolledBack = await fleetops('policy', 'rollback', 'camera', '--yes', '-o', 'json');
    expect(rolledBack.code).toBe(0);
    expect((JSON.parse(rolledBack.stdout) as Rollout).status).toBe('rolled_back');

    const status = await fleetops('policy', 'rollout', 'status', 'camera');
    expect(status.code).toBe(3);
    expect(status.stdout).toMatch(/STATUS\s+│ rolled_back/);
  });

  it('a policy without rollouts: status says so, exit 1', async () => {
    const status = await fleetops('policy', 'rollout', 'status', 'no-such-policy');
    expect(status.code).toBe(1);
    expect(status.stderr).toContain('no-such-policy');
  });
});
