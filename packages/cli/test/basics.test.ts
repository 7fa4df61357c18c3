import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { version } from '../package.json';
import { cliEnv, runCli, tempDir } from './helpers';

let configDir: { path: string; remove: () => Promise<void> };
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  configDir = await tempDir('basics');
  env = cliEnv(configDir.path);
});
afterAll(() => configDir.remove());

describe('fleetops without a server', () => {
  it('--version prints the version', async () => {
    const run = await runCli(['--version'], env);
    expect(run).toMatchObject({ code: 0, stdout: `${version}\n`, stderr: '' });
  });

  it('--help lists the commands and documents the exit codes', async () => {
    const run = await runCli(['--help'], env);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/devices\s+Enrolled devices/);
    expect(run.stdout).toContain('Exit codes:');
    expect(run.stdout).toMatch(/7\s+timed out waiting/);
  });

  it.each([
    [['devices', 'ls', '--bogus']],
    [['devices', 'ls', '--limit', 'many']],
    [['devices', 'ls', '-o', 'xml']],
    [['devices', 'ls', '--seen-within', 'yesterday']],
    [['devices', 'get']],
    [['nonsense']],
  ])('bad usage %j exits 2', async (args) => {
    const run = await runCli(args, env);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^error: /m);
    expect(run.stdout).toBe('');
  });

  it('without credentials exits 2 and says how to log in', async () => {
    const run = await runCli(['devices', 'ls'], env);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('fleetops login --server URL --token TOKEN');
    expect(run.stdout).toBe('');
  });

  it('an unknown profile exits 2', async () => {
    const run = await runCli(['devices', 'ls', '--profile', 'nope'], env);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('no profile named "nope"');
  });

  it('an unreachable server is one line with a hint, exit 1, no stack', async () => {
    const run = await runCli(['whoami', '--server', 'http://127.0.0.1:9', '--token', 'fo_x'], env);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      'error: cannot reach http://127.0.0.1:9: is the server running? (fleetops server start)\n',
    );
  });

  it('--verbose adds the stack trace', async () => {
    const run = await runCli(
      ['whoami', '--server', 'http://127.0.0.1:9', '--token', 'fo_x', '--verbose'],
      env,
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/\n\s+at /);
  });

  it('retire refuses to run unconfirmed outside a terminal: exit 2', async () => {
    const run = await runCli(
      [
        'devices',
        'retire',
        '00000000-0000-4000-8000-000000000000',
        '--server',
        'http://127.0.0.1:9',
        '--token',
        't',
      ],
      env,
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('pass --yes to confirm');
  });
});
