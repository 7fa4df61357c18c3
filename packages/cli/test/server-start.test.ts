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

/** A `fleetops server start` process, with what it has printed so far. */
interface Spawned {
  child: ChildProcessByStdio<null, Readable, Readable>;
  output: { stdout: string; stderr: string };
}

/** A running `fleetops server start` and its URL. */
interface Started extends Spawned {
  url: string;
}

/** Spawns `server start args…`. */
function spawnStart(args: string[]): Spawned {
  const child = spawn(process.execPath, [BIN, 'server', 'start', ...args], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  child.on('exit', () => children.delete(child));
  const output = { stdout: '', stderr: '' };
  child.stdout.on('data', (chunk) => (output.stdout += chunk));
  child.stderr.on('data', (chunk) => (output.stderr += chunk));
  return { child, output };
}

/** Resolves once `pattern` shows up in what `spawned` printed on `stream`, with the match. */
function printed(spawned: Spawned, stream: 'stdout' | 'stderr', pattern: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const match = pattern.exec(spawned.output[stream])?.[0];
      if (match !== undefined) resolve(match);
    };
    check();
    spawned.child[stream].on('data', () => queueMicrotask(check));
    spawned.child.on('exit', (code) =>
      reject(new Error(`server start exited ${code}: ${spawned.output.stderr}`)),
    );
  });
}

/** Spawns `server start` and resolves once it has printed its URL on stdout. */
async function startCli(args: string[]): Promise<Started> {
  const spawned = spawnStart(args);
  return { ...spawned, url: await printed(spawned, 'stdout', /http:\/\/127\.0\.0\.1:\d+/) };
}

/** Sends SIGINT and resolves with the exit code. */
function interrupt({ child }: Spawned): Promise<number | null> {
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

  it('on 0.0.0.0 without --public-url, warns that enrollment payloads carry the loopback URL', async () => {
    const data = await tempDir('any-address');
    try {
      const server = await startCli(['--data-dir', data.path, '--port', '0', '--host', '0.0.0.0']);
      expect(await interrupt(server)).toBe(0);
      expect(server.output.stderr).toMatch(
        /^warning: listening on 0\.0\.0\.0, but enrollment payloads and QR codes carry http:\/\/127\.0\.0\.1:\d+, .*pass --public-url$/m,
      );
    } finally {
      await data.remove();
    }
  });

  it('--public-url is the server URL of enrollment payloads', async () => {
    const data = await tempDir('public-url');
    const publicUrl = 'https://fleet.example.com';
    try {
      const server = await startCli([
        '--data-dir',
        data.path,
        '--port',
        '0',
        '--public-url',
        `${publicUrl}/`,
      ]);
      try {
        const run = await runCli(['enroll', 'token', 'create', '-o', 'json'], env);
        expect(run.code).toBe(0);
        expect(JSON.parse(run.stdout).payload).toMatchObject({ server: publicUrl });
      } finally {
        expect(await interrupt(server)).toBe(0);
      }
      expect(server.output.stderr).not.toContain('warning');
    } finally {
      await data.remove();
    }
  });

  it('Ctrl-C while the simulated devices enroll stops at once: exit 0, and no server was announced', async () => {
    const data = await tempDir('early-stop');
    try {
      const server = spawnStart(['--data-dir', data.path, '--port', '0', '--simulate', '300']);
      await printed(server, 'stderr', /starting 300 simulated devices/);
      expect(await interrupt(server)).toBe(0);
      expect(server.output.stdout).toBe('');
      expect(server.output.stderr).toMatch(/SIGINT: stopping…\nstopped\n$/);
    } finally {
      await data.remove();
    }
  });
});
