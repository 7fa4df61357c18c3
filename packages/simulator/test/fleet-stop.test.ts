import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { startFleet } from '../src/index';

/** A local URL where nothing listens, so every connection is refused. */
async function deadServerUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}

/** How many timers and sockets this process holds open. */
function openHandles(): { timers: number; sockets: number } {
  const kinds = process.getActiveResourcesInfo();
  return {
    timers: kinds.filter((kind) => kind === 'Timeout').length,
    sockets: kinds.filter((kind) => kind.startsWith('TCP')).length,
  };
}

describe('stopping a fleet', () => {
  it('stops while devices retry an unreachable server, leaving no timer or socket behind', async () => {
    const before = openHandles();
    let errors = 0;
    const fleet = await startFleet({
      serverUrl: await deadServerUrl(),
      enrollmentToken: 'fo_enr_unused',
      devices: 40,
      onEvent: (event) => {
        if (event.type === 'error') errors++;
      },
    });
    while (errors < 32) await sleep(50);
    expect(openHandles().timers).toBeGreaterThan(before.timers);

    await fleet.stop();

    await expect(fleet.ready).rejects.toThrow(/stopped before every device was up/);
    expect(fleet.stats()).toMatchObject({ devices: 40, enrolled: 0, online: 0 });
    expect(openHandles().timers).toBeLessThanOrEqual(before.timers);
    expect(openHandles().sockets).toBeLessThanOrEqual(before.sockets);
  });
});
