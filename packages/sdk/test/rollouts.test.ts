import { Rollout } from '@fleetops/protocol';
import { HttpResponse, http } from 'msw';
import { describe, expect, it } from 'vitest';
import { FleetAbortError, FleetConflictError } from '../src/index';
import { BASE_URL, errorResponse, makeClient, pagesOf, useMswServer } from './helpers';

const server = useMswServer();
const NOW = '2025-01-02T03:04:05.000Z';
const ROLLOUT_ID = '3c4d5e6f-7a8b-4c9d-8e0f-112233445566';
const rolloutUrl = `${BASE_URL}/v1/rollouts/${ROLLOUT_ID}`;

function rollout(overrides: Partial<Rollout> = {}): Rollout {
  return Rollout.parse({
    id: ROLLOUT_ID,
    policy: 'corp-baseline',
    fromVersion: 1,
    toVersion: 2,
    status: 'running',
    currentWave: 0,
    waves: [
      {
        index: 0,
        size: '50%',
        devices: 2,
        releasedAt: NOW,
        completedAt: null,
        applied: 0,
        failed: 0,
        pending: 2,
      },
      {
        index: 1,
        size: '100%',
        devices: 2,
        releasedAt: null,
        completedAt: null,
        applied: 0,
        failed: 0,
        pending: 2,
      },
    ],
    totalDevices: 4,
    failureRate: 0,
    haltOnFailurePercent: 5,
    pauseSeconds: 0,
    waveTimeoutSeconds: 1800,
    nextWaveAt: null,
    haltReason: null,
    createdBy: 'ci',
    createdAt: NOW,
    updatedAt: NOW,
    ...overrides,
  });
}

/** Answers GET of the rollout with each snapshot in turn, the last one repeating. */
function snapshots(...list: Rollout[]) {
  let polls = 0;
  server.use(
    http.get(rolloutUrl, () => {
      polls++;
      return HttpResponse.json(list[Math.min(polls, list.length) - 1]);
    }),
  );
  return { polls: () => polls };
}

async function collect(iterator: AsyncIterable<Rollout>): Promise<Rollout[]> {
  const seen: Rollout[] = [];
  for await (const r of iterator) seen.push(r);
  return seen;
}

describe('rollouts.create', () => {
  it('posts the waves to the policy, its name escaped, and returns the rollout', async () => {
    let sent: unknown;
    let url = '';
    server.use(
      http.post(`${BASE_URL}/v1/policies/:name/rollouts`, async ({ request }) => {
        url = request.url;
        sent = await request.json();
        return HttpResponse.json(rollout(), { status: 201 });
      }),
    );
    const body = { waves: ['50%', '100%'], haltOnFailurePercent: 2, pauseSeconds: 600 };
    const created = await makeClient().rollouts.create('corp baseline', body);
    expect(created).toEqual(rollout());
    expect(sent).toEqual(body);
    expect(url).toBe(`${BASE_URL}/v1/policies/corp%20baseline/rollouts`);
  });

  it('is what policies.rollout does too', async () => {
    let url = '';
    server.use(
      http.post(`${BASE_URL}/v1/policies/:name/rollouts`, ({ request }) => {
        url = request.url;
        return HttpResponse.json(rollout(), { status: 201 });
      }),
    );
    expect(await makeClient().policies.rollout('corp-baseline', { waves: ['100%'] })).toEqual(rollout());
    expect(url).toBe(`${BASE_URL}/v1/policies/corp-baseline/rollouts`);
  });

  it('turns a 409 into FleetConflictError', async () => {
    server.use(
      http.post(`${BASE_URL}/v1/policies/:name/rollouts`, () =>
        errorResponse(409, 'conflict', 'corp-baseline has a running rollout'),
      ),
    );
    await expect(makeClient().rollouts.create('corp-baseline', { waves: ['100%'] })).rejects.toBeInstanceOf(
      FleetConflictError,
    );
  });
});

describe('rollouts.list and the actions', () => {
  it('list follows the cursors of one policy', async () => {
    const ids = ['00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002'];
    const queries = pagesOf(server, `${BASE_URL}/v1/policies/corp-baseline/rollouts`, [
      [rollout({ id: ids[0] })],
      [rollout({ id: ids[1] })],
    ]);
    const rollouts = await makeClient().rollouts.list('corp-baseline', { limit: 1 }).toArray();
    expect(rollouts.map((r) => r.id)).toEqual(ids);
    expect(queries.map((q) => q.get('cursor'))).toEqual([null, 'p1']);
  });

  it.each([
    ['pause', 'paused'],
    ['resume', 'running'],
    ['abort', 'aborted'],
    ['rollback', 'rolled_back'],
  ] as const)('%s posts to the rollout and returns it', async (action, status) => {
    server.use(http.post(`${rolloutUrl}/${action}`, () => HttpResponse.json(rollout({ status }))));
    await expect(makeClient().rollouts[action](ROLLOUT_ID)).resolves.toMatchObject({ status });
  });
});

describe('rollouts.watch', () => {
  it('yields the first snapshot and each changed one, and ends at a final status', async () => {
    const { polls } = snapshots(
      rollout(),
      rollout({ updatedAt: '2025-01-02T03:04:06.000Z' }),
      rollout({ currentWave: 1, failureRate: 0 }),
      rollout({ status: 'completed', currentWave: 1 }),
    );
    const seen = await collect(makeClient().rollouts.watch(ROLLOUT_ID, { intervalMs: 1 }));
    expect(seen.map((r) => [r.status, r.currentWave])).toEqual([
      ['running', 0],
      ['running', 1],
      ['completed', 1],
    ]);
    expect(polls()).toBe(4);
  });

  it('ends at halted, which waits for a person', async () => {
    const { polls } = snapshots(
      rollout(),
      rollout({ status: 'halted', haltReason: 'failure rate 50% > 5%' }),
    );
    const seen = await collect(makeClient().rollouts.watch(ROLLOUT_ID, { intervalMs: 1 }));
    expect(seen.at(-1)).toMatchObject({ status: 'halted', haltReason: 'failure rate 50% > 5%' });
    expect(polls()).toBe(2);
  });

  it('rejects with FleetAbortError when its signal aborts', async () => {
    snapshots(rollout());
    const abort = new AbortController();
    const seen: Rollout[] = [];
    const watching = (async () => {
      for await (const r of makeClient().rollouts.watch(ROLLOUT_ID, {
        intervalMs: 60_000,
        signal: abort.signal,
      })) {
        seen.push(r);
        abort.abort();
      }
    })();
    await expect(watching).rejects.toBeInstanceOf(FleetAbortError);
    expect(seen).toHaveLength(1);
  });
});
