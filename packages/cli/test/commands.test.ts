import type { Command, CommandPage, EnrollResponse } from '@fleetops/protocol';
import { type RunningServer, startServer } from '@fleetops/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  adminApi,
  cliEnv,
  deviceFacts,
  enrollDevice,
  pollCommands,
  reportCommand,
  runCli,
  tempDir,
} from './helpers';

let server: RunningServer;
let configDir: Awaited<ReturnType<typeof tempDir>>;
let env: NodeJS.ProcessEnv;
let device: EnrollResponse;

const fleetops = (...args: string[]) => runCli(args, env);

beforeAll(async () => {
  server = await startServer({ port: 0, logLevel: 'silent' });
  configDir = await tempDir('commands');
  env = cliEnv(configDir.path, { FLEETOPS_SERVER: server.url, FLEETOPS_TOKEN: server.adminToken! });
  const enrollment = await server.createEnrollmentToken({ group: 'manual' });
  device = await enrollDevice(server.url, enrollment.token, deviceFacts());
});

afterAll(async () => {
  await server?.close();
  await configDir?.remove();
});

/** Sends a lock to the device through the API and returns the queued command. */
function sendLock(): Promise<Command> {
  return adminApi<Command>(server.url, server.adminToken!, `/v1/devices/${device.deviceId}/commands`, {
    type: 'lock',
  });
}

/** Plays the device: picks up the queued command and reports `result` for it. */
async function answer(
  command: Command,
  result: { status: 'succeeded' } | { status: 'failed'; error: string },
) {
  const polled = await pollCommands(server.url, device.credential);
  expect(polled.commands.map((c) => c.id)).toContain(command.id);
  await reportCommand(server.url, device.credential, command.id, result);
}

describe('commands get and wait', () => {
  it('get shows where a command stands, exit 0', async () => {
    const lock = await sendLock();
    const run = await fleetops('commands', 'get', lock.id, '-o', 'json');
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(run.stdout)).toMatchObject({ id: lock.id, deviceId: device.deviceId, type: 'lock' });
    const table = await fleetops('commands', 'get', lock.id);
    expect(table.stdout).toMatch(new RegExp(`│ Command\\s+│ ${lock.id}`));
    await answer(lock, { status: 'succeeded' });
  });

  it('wait on a command nobody answers times out: exit 7, and says how to wait again', async () => {
    const lock = await sendLock();
    const run = await fleetops('commands', 'wait', lock.id, '--timeout', '2s');
    expect(run.code).toBe(7);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      `error: timed out after 2s waiting for command ${lock.id}\n` +
        `hint: wait for it with: fleetops commands wait ${lock.id}\n`,
    );
    await answer(lock, { status: 'succeeded' });
  });

  it('wait on a command the device carries out: exit 0 with the final command, and sends nothing new', async () => {
    const lock = await sendLock();
    const wait = fleetops('commands', 'wait', lock.id, '--timeout', '30s', '-o', 'json');
    await answer(lock, { status: 'succeeded' });
    const run = await wait;
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ id: lock.id, status: 'succeeded' });
    const sent = await adminApi<z.infer<typeof CommandPage>>(
      server.url,
      server.adminToken!,
      `/v1/devices/${device.deviceId}/commands`,
    );
    expect(sent.data[0]?.id).toBe(lock.id); // newest first: waiting sent no other command
  });

  it('wait on a command the device reports failed: exit 3 with a warning', async () => {
    const lock = await sendLock();
    const wait = fleetops('commands', 'wait', lock.id, '--timeout', '30s', '-o', 'json');
    await answer(lock, { status: 'failed', error: 'screen in use' });
    const run = await wait;
    expect(run.code).toBe(3);
    expect(JSON.parse(run.stdout)).toMatchObject({ id: lock.id, status: 'failed', error: 'screen in use' });
    expect(run.stderr).toBe(`warning: lock ${lock.id} failed: screen in use\n`);
  });

  it('wait on a command that is already final returns at once', async () => {
    const lock = await sendLock();
    await answer(lock, { status: 'succeeded' });
    const run = await fleetops('commands', 'wait', lock.id, '-o', 'json');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ status: 'succeeded' });
  });

  it.each(['get', 'wait'])(
    '%s of an unknown command exits 1 naming it; a malformed id exits 2',
    async (verb) => {
      const unknown = '7d1c5d4e-0000-4000-8000-00000000abcd';
      const missing = await fleetops('commands', verb, unknown);
      expect(missing.code).toBe(1);
      expect(missing.stderr).toMatch(new RegExp(`^error: command ${unknown} not found`));
      const malformed = await fleetops('commands', verb, 'lock-1');
      expect(malformed.code).toBe(2);
      expect(malformed.stderr).toContain('"lock-1" is not a command id');
    },
  );
});
