import { startServer } from '@fleetops/server';
import { expect, it } from 'vitest';

it('tells each token its request budget and refuses it with 429 and Retry-After once spent', async () => {
  const server = await startServer({ port: 0, logLevel: 'silent', adminRequestsPerSecond: 2 });
  try {
    const call = (token: string) =>
      fetch(`${server.url}/v1/whoami`, { headers: { authorization: `Bearer ${token}` } });
    const answers = [];
    for (let i = 0; i < 6; i++) answers.push(await call(server.adminToken!));
    expect(answers[0]!.headers.get('ratelimit-limit')).toBe('4');
    expect(answers[0]!.headers.get('ratelimit-remaining')).toBe('3');
    const refused = answers.filter((a) => a.status === 429);
    expect(refused.length).toBeGreaterThan(0);
    expect(Number(refused[0]!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(refused[0]!.headers.get('x-should-retry')).toBe('true');
    expect((await refused[0]!.json()).error).toMatchObject({ code: 'rate_limited' });
    const other = await server.createAdminToken('another');
    expect((await call(other)).status).toBe(200);
  } finally {
    await server.close();
  }
});
