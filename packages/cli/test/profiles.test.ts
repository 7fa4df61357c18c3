import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { type RunningServer, startServer } from '@fleetops/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminApi, cliEnv, runCli, tempDir } from './helpers';

let server: RunningServer;
let configDir: Awaited<ReturnType<typeof tempDir>>;
let env: NodeJS.ProcessEnv;
let adminToken: string;

beforeAll(async () => {
  server = await startServer({ port: 0, logLevel: 'silent' });
  adminToken = server.adminToken!;
  configDir = await tempDir('profiles');
  env = cliEnv(configDir.path);
});

afterAll(async () => {
  await server?.close();
  await configDir?.remove();
});

describe('login, whoami and profiles', () => {
  it('login checks the token, writes a 0600 profile and makes it current', async () => {
    const run = await runCli(['login', '--server', server.url, '--token', adminToken, '-o', 'json'], env);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      server: server.url,
      profile: 'default',
      token: { role: 'admin' },
    });
    expect(run.stderr).toContain('profile "default" is current');
    const file = await stat(join(configDir.path, 'config.json'));
    expect(file.mode & 0o777).toBe(0o600);
  });

  it('whoami then works with no flags', async () => {
    const run = await runCli(['whoami', '-o', 'json'], env);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      server: server.url,
      profile: 'default',
      org: { id: server.org.id },
      token: { role: 'admin' },
    });
  });

  it('login with a wrong token saves nothing and hints at the token', async () => {
    const run = await runCli(['login', '--server', server.url, '--token', 'fo_wrong', '--name', 'bad'], env);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error: 401 unauthorized/);
    expect(run.stderr).toContain('hint: check the token');
    const list = await runCli(['profiles', 'ls', '-o', 'json'], env);
    expect(JSON.parse(list.stdout).map((p: { name: string }) => p.name)).toEqual(['default']);
  });

  it('profiles ls marks the current profile and never prints a token', async () => {
    const viewer = await adminApi<{ token: string }>(server.url, adminToken, '/v1/tokens', {
      name: 'v',
      role: 'viewer',
    });
    expect(
      (await runCli(['login', '--server', server.url, '--token', viewer.token, '--name', 'ro'], env)).code,
    ).toBe(0);
    const table = await runCli(['profiles', 'ls'], env);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/│\s+│ default │/);
    expect(table.stdout).toMatch(/│ \* +│ ro +│/);
    for (const token of [adminToken, viewer.token]) {
      expect(table.stdout).not.toContain(token);
      expect(table.stdout).toContain(token.slice(0, 12));
    }
    const json = await runCli(['profiles', 'ls', '-o', 'json'], env);
    expect(json.stdout).not.toContain(viewer.token);
    expect(JSON.parse(json.stdout)).toEqual([
      { name: 'default', server: server.url, tokenPrefix: `${adminToken.slice(0, 12)}…`, current: false },
      { name: 'ro', server: server.url, tokenPrefix: `${viewer.token.slice(0, 12)}…`, current: true },
    ]);
  });

  it('profiles use switches the current profile; --profile picks one for a single call', async () => {
    expect((await runCli(['whoami', '-o', 'json'], env)).stdout).toContain('"viewer"');
    expect(
      JSON.parse((await runCli(['whoami', '--profile', 'default', '-o', 'json'], env)).stdout).token.role,
    ).toBe('admin');
    const use = await runCli(['profiles', 'use', 'default'], env);
    expect(use).toMatchObject({ code: 0, stdout: '' });
    expect(JSON.parse((await runCli(['whoami', '-o', 'json'], env)).stdout).token.role).toBe('admin');
    expect((await runCli(['profiles', 'use', 'nope'], env)).code).toBe(2);
  });

  it("a profile's token is not sent to another server given with --server", async () => {
    const run = await runCli(['whoami', '--server', 'http://127.0.0.1:9'], env);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('no token');
  });
});
