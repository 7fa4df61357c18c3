import { HttpResponse, http } from 'msw';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  type CreateJobRequest,
  FleetAbortError,
  FleetBadRequestError,
  FleetTimeoutError,
  type Job,
} from '../src/index';
import {
  BASE_URL,
  errorResponse,
  JOB_ID,
  job,
  jobResult,
  makeClient,
  pagesOf,
  useMswServer,
} from './helpers';

const server = useMswServer();
const jobsUrl = `${BASE_URL}/v1/jobs`;
const jobUrl = `${jobsUrl}/${JOB_ID}`;
const lockSerials: CreateJobRequest = {
  type: 'lock',
  targets: { devices: [{ by: 'serial', value: 'SN1', line: 1 }] },
};

/** Answers GET of the job with each snapshot in turn, the last one repeating. */
function snapshots(...list: Job[]) {
  let polls = 0;
  server.use(
    http.get(jobUrl, () => {
      polls++;
      return HttpResponse.json(list[Math.min(polls, list.length) - 1]);
    }),
  );
  return { polls: () => polls };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('jobs.create', () => {
  it('sends the idempotency key it was given, the same on a retry, and returns the job', async () => {
    const keys: (string | null)[] = [];
    server.use(
      http.post(jobsUrl, ({ request }) => {
        keys.push(request.headers.get('idempotency-key'));
        if (keys.length === 1)
          return errorResponse(503, 'unavailable', 'busy', { headers: { 'retry-after-ms': '1' } });
        return HttpResponse.json(job('scheduled'), { status: 201 });
      }),
    );
    const created = await makeClient().jobs.create(lockSerials, { idempotencyKey: 'offboard-2025-01' });
    expect(created).toEqual(job('scheduled'));
    expect(keys).toEqual(['offboard-2025-01', 'offboard-2025-01']);
  });

  it('turns a guard refusal into FleetBadRequestError with code guard_refused and its details', async () => {
    const unresolved = [
      { by: 'serial', value: 'SN9', line: 4, problem: 'not_found', message: 'no device has serial SN9' },
    ];
    let requests = 0;
    server.use(
      http.post(jobsUrl, () => {
        requests++;
        return errorResponse(422, 'guard_refused', '1 target could not be resolved', {
          details: { unresolved },
        });
      }),
    );
    const error = await makeClient()
      .jobs.create(lockSerials)
      .catch((e) => e);
    expect(error).toBeInstanceOf(FleetBadRequestError);
    expect(error.code).toBe('guard_refused');
    expect(error.details).toEqual({ unresolved });
    expect(error.message).toBe('422 guard_refused: 1 target could not be resolved (request req-abc)');
    expect(requests).toBe(1);
  });
});

describe('jobs.list and jobs.results', () => {
  it('list follows the cursors and keeps the filters on every page', async () => {
    const ids = ['00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002'];
    const queries = pagesOf(server, jobsUrl, [
      [job('running', {}, { id: ids[0] })],
      [job('running', {}, { id: ids[1] })],
    ]);
    const jobs = await makeClient().jobs.list({ status: 'running', type: 'lock' }).toArray();
    expect(jobs.map((j) => j.id)).toEqual(ids);
    expect(queries.map((q) => q.get('cursor'))).toEqual([null, 'p1']);
    expect(queries.every((q) => q.get('status') === 'running' && q.get('type') === 'lock')).toBe(true);
  });

  it('results follows the cursors and keeps the status filter on every page', async () => {
    const ids = [
      '00000000-0000-4000-8000-00000000000a',
      '00000000-0000-4000-8000-00000000000b',
      '00000000-0000-4000-8000-00000000000c',
    ];
    const failed = (id: string) => jobResult(id, { status: 'failed', error: 'device refused' });
    const queries = pagesOf(server, `${jobUrl}/results`, [
      [failed(ids[0]!), failed(ids[1]!)],
      [failed(ids[2]!)],
    ]);
    const results = await makeClient().jobs.results(JOB_ID, { status: 'failed', limit: 2 }).toArray();
    expect(results.map((r) => r.deviceId)).toEqual(ids);
    expect(queries.map((q) => q.get('cursor'))).toEqual([null, 'p1']);
    expect(queries.every((q) => q.get('status') === 'failed' && q.get('limit') === '2')).toBe(true);
  });
});

describe('jobs.wait', () => {
  it('polls until the job is final, reporting each change, and returns it', async () => {
    const { polls } = snapshots(
      job('running', { queued: 100 }),
      job('running', { queued: 100 }),
      job('running', { queued: 40, succeeded: 60 }),
      job('completed', { succeeded: 99, failed: 1 }),
    );
    const progress: Job[] = [];
    const done = await makeClient().jobs.wait(JOB_ID, { intervalMs: 1, onProgress: (j) => progress.push(j) });
    expect(done).toEqual(job('completed', { succeeded: 99, failed: 1 }));
    expect(progress.map((j) => [j.status, j.counts.succeeded])).toEqual([
      ['running', 0],
      ['running', 60],
      ['completed', 99],
    ]);
    expect(polls()).toBe(4);
  });

  it('returns at once a job that is already final', async () => {
    const { polls } = snapshots(job('canceled'));
    await expect(makeClient().jobs.wait(JOB_ID)).resolves.toMatchObject({ status: 'canceled' });
    expect(polls()).toBe(1);
  });

  it('times out after 10 minutes by default, naming the status and counts the job is still at', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    snapshots(job('running', { queued: 40, succeeded: 60 }));
    const waiting = makeClient()
      .jobs.wait(JOB_ID, { intervalMs: 60_000 })
      .catch((e) => e);
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    const error = await waiting;
    expect(error).toBeInstanceOf(FleetTimeoutError);
    expect(error.message).toBe(`job ${JOB_ID} is still running (40 queued, 60 succeeded) after 600000 ms`);
  });

  it('waits for good with timeoutMs Infinity', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const { polls } = snapshots(...Array(20).fill(job('scheduled')), job('completed', { succeeded: 100 }));
    const waiting = makeClient().jobs.wait(JOB_ID, {
      timeoutMs: Number.POSITIVE_INFINITY,
      intervalMs: 60_000,
    });
    await vi.advanceTimersByTimeAsync(20 * 60_000);
    await expect(waiting).resolves.toMatchObject({ status: 'completed' });
    expect(polls()).toBe(21);
  });

  it('stops when the caller aborts', async () => {
    snapshots(job('running'));
    const controller = new AbortController();
    const waiting = makeClient().jobs.wait(JOB_ID, { intervalMs: 60_000, signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    await expect(waiting).rejects.toBeInstanceOf(FleetAbortError);
  });
});

describe('jobs.watch', () => {
  it('yields the first snapshot, then only changed ones, and ends after a final one', async () => {
    const { polls } = snapshots(
      job('awaiting_approval', {}, { requiresApproval: true }),
      job('awaiting_approval', {}, { requiresApproval: true }),
      job(
        'scheduled',
        {},
        { requiresApproval: true, approvedBy: 'alice', approvedAt: '2025-01-02T04:00:00.000Z' },
      ),
      job('running', { queued: 100 }),
      job('running', { queued: 100 }),
      job('running', { queued: 30, delivered: 70 }),
      job('expired', { expired: 30, succeeded: 70 }),
    );
    const seen: string[] = [];
    for await (const j of makeClient().jobs.watch(JOB_ID, { intervalMs: 1 })) {
      seen.push(`${j.status} ${j.counts.queued}/${j.counts.delivered}`);
    }
    expect(seen).toEqual([
      'awaiting_approval 0/0',
      'scheduled 0/0',
      'running 100/0',
      'running 30/70',
      'expired 0/0',
    ]);
    expect(polls()).toBe(7);
  });

  it('stops polling when the loop breaks', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    let polls = 0;
    server.use(
      http.get(jobUrl, () => {
        polls++;
        return HttpResponse.json(job('running', { succeeded: polls }));
      }),
    );
    const watching = (async () => {
      for await (const j of makeClient().jobs.watch(JOB_ID, { intervalMs: 1000 })) {
        if (j.counts.succeeded === 2) break;
      }
    })();
    await vi.waitFor(() => expect(polls).toBe(1));
    await vi.advanceTimersByTimeAsync(1000);
    await watching;
    await vi.advanceTimersByTimeAsync(10_000);
    expect(polls).toBe(2);
  });
});
