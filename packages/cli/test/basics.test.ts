import { createServer } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { version } from '../package.json';
import { cliEnv, closedPort, runCli, tempDir } from './helpers';

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

  it('a local server that refuses the connection: one line with the reason, the hint to start it, exit 1', async () => {
    const server = `http://127.0.0.1:${await closedPort()}`;
    const run = await runCli(['whoami', '--server', server, '--token', 'fo_x'], env);
    expect(run.code).toBe(1);
    const [error, hint, ...rest] = run.stderr.split('\n');
    expect(error).toMatch(new RegExp(`^error: cannot reach ${server}: .*ECONNREFUSED`));
    expect(hint).toBe('hint: is the server running? (fleetops server start)');
    expect(rest).toEqual(['']);
  });

  it('a host name that does not resolve: the hint is to check the URL, not to start a server', async () => {
    const run = await runCli(['whoami', '--server', 'http://fleetops.invalid', '--token', 'fo_x'], env);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error: cannot reach http:\/\/fleetops\.invalid: .*(ENOTFOUND|EAI_AGAIN)/);
    expect(run.stderr).toContain('hint: check the server URL');
    expect(run.stderr).not.toContain('server start');
  });

  it('https to a server that speaks plain http is called a TLS problem', async () => {
    const plain = createServer((_request, response) => response.end('hello'));
    await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = plain.address() as { port: number };
      const run = await runCli(['whoami', '--server', `https://127.0.0.1:${port}`, '--token', 'fo_x'], env);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(new RegExp(`^error: TLS problem talking to https://127.0.0.1:${port}: `));
      expect(run.stderr).not.toContain('server start');
    } finally {
      plain.close();
    }
  });

  it('a server that is not an http(s) URL is a usage error, exit 2, naming the flag or variable', async () => {
    const flag = await runCli(['whoami', '--server', 'fleet.example.com', '--token', 'fo_x'], env);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toMatch(/^error: --server: "fleet.example.com" is not an http\(s\) URL\nhint: /);
    const variable = await runCli(['whoami'], { ...env, FLEETOPS_SERVER: 'ftp://x', FLEETOPS_TOKEN: 'fo_x' });
    expect(variable.code).toBe(2);
    expect(variable.stderr).toMatch(/^error: FLEETOPS_SERVER: "ftp:\/\/x" is not an http\(s\) URL/);
    const login = await runCli(['login', '--server', 'localhost:8420', '--token', 'fo_x'], env);
    expect(login.code).toBe(2);
    expect(login.stderr).toMatch(/^error: --server: "localhost:8420" is not an http\(s\) URL/);
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
