import { spawn } from 'node:child_process';
import type { Device } from '@fleetops/protocol';
import { type RunningServer, startServer } from '@fleetops/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, cliEnv, runCli, tempDir } from './helpers';

let server: RunningServer;
let configDir: Awaited<ReturnType<typeof tempDir>>;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  server = await startServer({ port: 0, logLevel: 'silent' });
  configDir = await tempDir('simulate');
  env = cliEnv(configDir.path, { FLEETOPS_SERVER: server.url, FLEETOPS_TOKEN: server.adminToken! });
});

afterAll(async () => {
  await server?.close();
  await configDir?.remove();
});

describe('simulate', () => {
  it('runs devices until SIGINT, with progress on stderr, then exits 0', async () => {
    const enrollment = await server.createEnrollmentToken({ group: 'sim' });
    const child = spawn(
      process.execPath,
      [BIN, 'simulate', '--server', server.url, '--enrollment-token', enrollment.token, '--devices', '3'],
      { env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    let stdout = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    await new Promise<void>((resolve) =>
      child.stderr.on('data', (chunk) => {
        stderr += chunk;
        if (stderr.includes('press Ctrl-C to stop')) resolve();
      }),
    );
    expect(stderr).toContain('fleet: 3/3 online');
    const listed = await runCli(['devices', 'ls', '--group', 'sim', '-o', 'json'], env);
    expect((JSON.parse(listed.stdout) as Device[]).length).toBe(3);
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(stdout).toBe('');
  });

  it('without --enrollment-token is a usage error', async () => {
    const run = await runCli(['simulate', '--devices', '3'], env);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("required option '--enrollment-token <token>' not specified");
  });
});
