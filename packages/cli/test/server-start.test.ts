import { type ChildProcessByStdio, spawn } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { Device } from '@fleetops/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, cliEnv, runCli, tempDir } from './helpers';

let dataDir: Awaited<ReturnType<typeof tempDir>>;
let configDir: Awaited<ReturnType<typeof tempDir>>;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  dataDir = await tempDir('data');
  configDir = await tempDir('server-config');
  env = cliEnv(configDir.path);
});

const children = new Set<ChildProcessByStdio<null, Readable, Readable>>();

afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await dataDir?.remove();
  await configDir?.remove();
});

/** A running `fleetops server start`, with what it has printed so far. */
interface Started {
  child: ChildProcessByStdio<null, Readable, Readable>;
  url: string;
  output: { stdout: string; stderr: string };
}

/** Spawns `server start` and resolves once it has printed its URL on stdout. */
function startCli(args: string[]): Promise<Started> {
  const child = spawn(process.execPath, [BIN, 'server', 'start', ...args], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  child.on('exit', () => children.delete(child));
  const output = { stdout: '', stderr: '' };
  child.stderr.on('data', (chunk) => (output.stderr += chunk));
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      output.stdout += chunk;
      const url = /http:\/\/127\.0\.0\.1:\d+/.exec(output.stdout)?.[0];
      if (url) resolve({ child, url, output });
    });
    child.on('exit', (code) => reject(new Error(`server start exited ${code}: ${output.stderr}`)));
  });
}

/** Sends SIGINT and resolves with the exit code. */
function interrupt({ child }: Started): Promise<number | null> {
  return new Promise((resolve) => {
    child.on('exit', (code) => resolve(code));
    child.kill('SIGINT');
  });
}

async function deviceIds(): Promise<string[]> {
  const run = await runCli(['devices', 'ls', '-o', 'json'], env);
  expect(run.code).toBe(0);
  return (JSON.parse(run.stdout) as Device[]).map((d) => d.id).sort();
}

describe('server start', () => {
  let firstIds: string[];

  it('boots with simulated devices, logs the CLI in as profile "local", and stops on SIGINT with exit 0', async () => {
    const server = await startCli(['--data-dir', dataDir.path, '--port', '0', '--simulate', '5']);
    try {
      expect(server.output.stdout).toContain(join(dataDir.path, 'db'));
      firstIds = await deviceIds();
      expect(firstIds).toHaveLength(5);
      const profiles = JSON.parse((await runCli(['profiles', 'ls', '-o', 'json'], env)).stdout);
      expect(profiles).toEqual([
        expect.objectContaining({ name: 'local', server: server.url, current: true }),
      ]);
    } finally {
      expect(await interrupt(server)).toBe(0);
    }
    expect(server.output.stderr).toContain('stopped');
    expect((await stat(join(dataDir.path, 'simulator', 'fleet.json'))).isFile()).toBe(true);
  });

  it('starts again on the same data: the same 5 devices come back and the saved token still works', async () => {
    const before = JSON.parse((await runCli(['profiles', 'ls', '-o', 'json'], env)).stdout)[0].tokenPrefix;
    const server = await startCli(['--data-dir', dataDir.path, '--port', '0', '--simulate', '5']);
    try {
      expect(await deviceIds()).toEqual(firstIds);
      const after = JSON.parse((await runCli(['profiles', 'ls', '-o', 'json'], env)).stdout)[0];
      expect(after).toMatchObject({ name: 'local', server: server.url, tokenPrefix: before });
    } finally {
      expect(await interrupt(server)).toBe(0);
    }
  });
});
