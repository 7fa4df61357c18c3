import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/helpers';
import { canonicalJson, openJobRun, type RequestIdentity } from './resume';

const identity: RequestIdentity = { server: 'http://127.0.0.1:8420', orgId: 'org-1', tokenId: 'token-1' };
const body = { type: 'lock', params: { message: 'Call IT' }, targets: { all: true } };
const now = new Date('2025-01-02T03:04:05Z');

let dir: Awaited<ReturnType<typeof tempDir>>;
beforeEach(async () => {
  dir = await tempDir('runs');
});
afterEach(() => dir.remove());

describe('canonicalJson', () => {
  it('the same value with keys in another order is the same text', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { f: 1, e: 0 }], c: null } })).toBe(
      canonicalJson({ a: { c: null, d: [2, { e: 0, f: 1 }] }, b: 1 }),
    );
  });
});

describe('openJobRun', () => {
  it('a run that began and was interrupted is found again by the same request: same key', async () => {
    const first = await openJobRun(dir.path, identity, body, now);
    expect(first.earlier).toBeUndefined();
    await first.begin({ confirmedCount: 3 });
    await first.created('job-1');
    const again = await openJobRun(dir.path, identity, { ...body, targets: { all: true } }, now);
    expect(again.idempotencyKey).toBe(first.idempotencyKey);
    expect(again.earlier).toMatchObject({ jobId: 'job-1', confirmedCount: 3 });
  });

  it('a run that finished is forgotten: the next run gets a new key', async () => {
    const first = await openJobRun(dir.path, identity, body, now);
    await first.begin();
    await first.finish();
    expect(await readdir(dir.path)).toEqual([]);
    const next = await openJobRun(dir.path, identity, body, now);
    expect(next.earlier).toBeUndefined();
    expect(next.idempotencyKey).not.toBe(first.idempotencyKey);
  });

  it('another request, org or server is another run', async () => {
    const first = await openJobRun(dir.path, identity, body, now);
    await first.begin();
    const others = await Promise.all([
      openJobRun(dir.path, identity, { ...body, params: {} }, now),
      openJobRun(dir.path, { ...identity, orgId: 'org-2' }, body, now),
      openJobRun(dir.path, { ...identity, server: 'https://fleet.example.com' }, body, now),
    ]);
    for (const other of others) expect(other.earlier).toBeUndefined();
  });

  it('a record older than the server keeps keys (24 hours), or cut short, starts afresh', async () => {
    const first = await openJobRun(dir.path, identity, body, now);
    await first.begin();
    const tomorrow = new Date(now.getTime() + 25 * 3600 * 1000);
    expect((await openJobRun(dir.path, identity, body, tomorrow)).earlier).toBeUndefined();
    const [file] = await readdir(dir.path);
    await writeFile(join(dir.path, file!), '{"runId":');
    expect((await openJobRun(dir.path, identity, body, now)).earlier).toBeUndefined();
  });

  it('the record is private to the user', async () => {
    const run = await openJobRun(dir.path, identity, body, now);
    await run.begin();
    const [file] = await readdir(dir.path);
    expect((await stat(join(dir.path, file!))).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(join(dir.path, file!), 'utf8'))).toMatchObject({
      startedAt: now.toISOString(),
    });
  });
});
