import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type {
  CommandResultRequest,
  DeviceFactsInput,
  EnrollResponse,
  PollResponse,
} from '@fleetops/protocol';

/** The built CLI, as users run it. */
export const BIN = new URL('../dist/bin.js', import.meta.url).pathname;

/** What a finished CLI process left behind. */
export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Environment of a CLI run: no colour, no CI, nothing from the developer's own fleetops settings. */
export function cliEnv(configDir: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, FLEETOPS_CONFIG_DIR: configDir, NO_COLOR: '1', ...extra };
  for (const name of [
    'FLEETOPS_SERVER',
    'FLEETOPS_TOKEN',
    'FLEETOPS_PROFILE',
    'CI',
    'FORCE_COLOR',
    'DATABASE_URL',
  ]) {
    if (!(name in extra)) delete env[name];
  }
  return env;
}

/**
 * Runs `fleetops args…` as a child process (never synchronously: the server under test
 * runs in this process and must keep answering).
 */
export function runCli(args: string[], env: NodeJS.ProcessEnv, input?: string): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}

/** A fresh temporary directory, removed by the returned function. */
export async function tempDir(prefix: string): Promise<{ path: string; remove: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), `fleetops-${prefix}-`));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

let serial = 0;

/** Device facts that pass the protocol's checks, with `overrides` on top. */
export function deviceFacts(overrides: Partial<DeviceFactsInput> = {}): DeviceFactsInput {
  serial++;
  const hex = serial.toString(16).padStart(2, '0').slice(-2);
  return {
    model: 'Pixel 8',
    brand: 'Google',
    os: 'android',
    osVersion: '15',
    serial: `SER${String(serial).padStart(6, '0')}`,
    macAddress: `02:00:00:00:00:${hex}`,
    networkType: 'wifi',
    wifiEnabled: true,
    ...overrides,
  };
}

/** Enrolls one device through the real device API. */
export async function enrollDevice(
  serverUrl: string,
  enrollmentToken: string,
  facts: DeviceFactsInput = deviceFacts(),
): Promise<EnrollResponse> {
  const response = await fetch(`${serverUrl}/device/v1/enroll`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ enrollmentToken, facts }),
  });
  if (response.status !== 201) throw new Error(`enroll failed: ${response.status} ${await response.text()}`);
  return (await response.json()) as EnrollResponse;
}

/** Long-polls the device API for commands, as an agent does. */
export async function pollCommands(serverUrl: string, credential: string): Promise<PollResponse> {
  const response = await fetch(`${serverUrl}/device/v1/commands?wait=20`, {
    headers: { authorization: `Bearer ${credential}` },
  });
  if (!response.ok) throw new Error(`poll failed: ${response.status} ${await response.text()}`);
  return (await response.json()) as PollResponse;
}

/** Reports a command's outcome through the device API, as an agent does. */
export async function reportCommand(
  serverUrl: string,
  credential: string,
  commandId: string,
  result: CommandResultRequest,
): Promise<void> {
  const response = await fetch(`${serverUrl}/device/v1/commands/${commandId}/result`, {
    method: 'POST',
    headers: { authorization: `Bearer ${credential}`, 'content-type': 'application/json' },
    body: JSON.stringify(result),
  });
  if (response.status !== 200) throw new Error(`report failed: ${response.status} ${await response.text()}`);
}

/** Calls the admin API directly, for test set-up the CLI does not cover. */
export async function adminApi<T>(
  serverUrl: string,
  token: string,
  path: string,
  body?: unknown,
): Promise<T> {
  const response = await fetch(`${serverUrl}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** A loopback port nothing listens on: taken from the system, then let go. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
