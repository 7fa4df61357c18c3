import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Job } from '@fleetops/protocol';
import { type RunningServer, startServer } from '@fleetops/server';
import { expect, it } from 'vitest';
import { type FleetEvent, startFleet } from '../src/index';
import { until } from './helpers';

const DEVICES = 30;

it('finishes a job whose server restarted in the middle of delivery: every device runs it exactly once', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'fleetops-job-restart-'));
  const dataDir = join(dir, 'server');
  let server: RunningServer = await startServer({ port: 0, logLevel: 'silent', dataDir });
  const port = Number(new URL(server.url).port);
  const token = server.adminToken!;
  const executed: Extract<FleetEvent, { type: 'command-executed' }>[] = [];
  const enrollment = await server.createEnrollmentToken({ group: 'restart' });
  const fleet = await startFleet({
    serverUrl: server.url,
    enrollmentToken: enrollment.token,
    devices: DEVICES,
    seed: 7,
    stateFile: join(dir, 'fleet.json'),
    pollWaitSeconds: 2,
    onEvent: (event) => {
      if (event.type === 'command-executed') executed.push(event);
    },
  });
  const api = async (path: string, body?: unknown) => {
    const response = await fetch(`${server.url}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    expect(response.ok).toBe(true);
    return Job.parse(await response.json());
  };
  try {
    await fleet.ready;
    const job = await api('/v1/jobs', { type: 'lock', params: { message: 'Lost' }, targets: { all: true } });
    expect(job.targetCount).toBe(DEVICES);
    // Down in the middle of delivery: some devices have the lock, some have reported, some neither.
    let atRestart = job.counts;
    await until('the first devices received the lock', async () => {
      atRestart = (await api(`/v1/jobs/${job.id}`)).counts;
      return atRestart.queued < DEVICES;
    });
    await server.close();
    server = await startServer({ port, logLevel: 'silent', dataDir });

    await until(
      'the job completed',
      async () => (await api(`/v1/jobs/${job.id}`)).status === 'completed',
      30_000,
    );
    const done = await api(`/v1/jobs/${job.id}`);
    expect(done.counts).toMatchObject({ succeeded: DEVICES, failed: 0, expired: 0, canceled: 0 });
    const runs = new Map<string, number>();
    for (const event of executed) runs.set(event.commandId, (runs.get(event.commandId) ?? 0) + 1);
    expect(runs.size).toBe(DEVICES);
    expect([...runs.values()].every((n) => n === 1)).toBe(true);
    expect(atRestart.succeeded).toBeLessThan(DEVICES);
  } finally {
    await fleet.stop();
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
}, 60_000);
