import type { ApiToken, CreatedApiToken } from '@fleetops/protocol';
import { type RunningServer, startServer } from '@fleetops/server';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { cliEnv, runCli, tempDir } from './helpers';

let server: RunningServer;
let configDir: Awaited<ReturnType<typeof tempDir>>;
let admin: NodeJS.ProcessEnv;

beforeAll(async () => {
  server = await startServer({ port: 0, logLevel: 'silent' });
  configDir = await tempDir('tokens');
  admin = cliEnv(configDir.path, { FLEETOPS_SERVER: server.url, FLEETOPS_TOKEN: server.adminToken! });
});
afterAll(async () => {
  await server?.close();
  await configDir?.remove();
});

it('creates a token of a role that works at once, lists it without its secret, and revokes it', async () => {
  const created = await runCli(
    ['tokens', 'create', '--name', 'ci-deploy', '--role', 'viewer', '-o', 'json'],
    admin,
  );
  expect(created.code).toBe(0);
  expect(created.stderr).toContain('shown only now');
  const token = JSON.parse(created.stdout) as CreatedApiToken;
  expect(token).toMatchObject({
    name: 'ci-deploy',
    role: 'viewer',
    token: expect.stringMatching(/^fo_api_/),
  });

  const viewer = { ...admin, FLEETOPS_TOKEN: token.token };
  const whoami = await runCli(['whoami', '-o', 'json'], viewer);
  expect(JSON.parse(whoami.stdout).token).toMatchObject({ name: 'ci-deploy', role: 'viewer' });

  const listed = await runCli(['tokens', 'ls', '-o', 'json'], admin);
  expect(listed.stdout).not.toContain(token.token);
  expect((JSON.parse(listed.stdout) as ApiToken[]).map((t) => t.name)).toContain('ci-deploy');

  const refused = await runCli(['tokens', 'create', '--name', 'escalate', '--role', 'admin'], viewer);
  expect(refused.code).toBe(1);
  expect(refused.stderr).toContain('needs the admin role');

  expect((await runCli(['tokens', 'revoke', token.id, '-o', 'json'], admin)).code).toBe(0);
  const afterRevoke = await runCli(['whoami'], viewer);
  expect(afterRevoke.code).toBe(1);
  expect(afterRevoke.stderr.split('\n')[0]).toMatch(/^error: .*revoked/);
});

it('refuses bad input with a usage error or one line naming the id', async () => {
  const noName = await runCli(['tokens', 'create'], admin);
  expect(noName.code).toBe(2);
  expect(noName.stderr).toContain('--name');
  const badRole = await runCli(['tokens', 'create', '--name', 'x', '--role', 'root'], admin);
  expect(badRole.code).toBe(2);
  const unknown = await runCli(['tokens', 'revoke', '01900000-0000-7000-8000-00000000dead'], admin);
  expect(unknown.code).toBe(1);
  expect(unknown.stderr).toContain('token 01900000-0000-7000-8000-00000000dead not found');
});
