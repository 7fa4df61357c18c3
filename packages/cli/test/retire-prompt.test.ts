import type { Device } from '@fleetops/protocol';
import { type RunningServer, startServer } from '@fleetops/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GlobalOptions } from '../src/command';
import { commands } from '../src/commands/index';
import { openProfileStore } from '../src/config';
import { runCommand } from '../src/run';
import { adminApi, deviceFacts, enrollDevice, tempDir } from './helpers';
import { memoryStreams } from './memory-io';

let server: RunningServer;
let configDir: Awaited<ReturnType<typeof tempDir>>;
let deviceId: string;

const retire = commands.find((c) => c.path === 'devices retire')!;

beforeAll(async () => {
  server = await startServer({ port: 0, logLevel: 'silent' });
  configDir = await tempDir('prompt');
  const enrollment = await server.createEnrollmentToken();
  deviceId = (await enrollDevice(server.url, enrollment.token, deviceFacts())).deviceId;
});

afterAll(async () => {
  await server?.close();
  await configDir?.remove();
});

/** Runs `devices retire ID` at a (simulated) terminal, typing `answer` at the prompt. */
async function retireAtTerminal(answer: string) {
  const { streams, stdin, stdout, stderr } = memoryStreams({ tty: true, env: { NO_COLOR: '1' } });
  const opts: GlobalOptions & { id: string } = {
    id: deviceId,
    server: server.url,
    token: server.adminToken!,
    output: 'json',
    color: false,
    quiet: false,
    verbose: false,
  };
  stdin.write(`${answer}\n`);
  const code = await runCommand(retire, opts, {
    streams,
    config: openProfileStore({ FLEETOPS_CONFIG_DIR: configDir.path }),
  });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

describe('devices retire at a terminal', () => {
  it('asks first; any answer but y or the id cancels with exit 1 and keeps the device', async () => {
    const run = await retireAtTerminal('n');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`Retire device ${deviceId}?`);
    expect(run.stderr).toContain('canceled');
    expect(run.stdout).toBe('');
    const device = await adminApi<Device>(server.url, server.adminToken!, `/v1/devices/${deviceId}`);
    expect(device.status).toBe('active');
  });

  it('typing the device id confirms', async () => {
    const run = await retireAtTerminal(deviceId);
    expect(run.code).toBe(0);
    expect((JSON.parse(run.stdout) as Device).status).toBe('retired');
  });
});
