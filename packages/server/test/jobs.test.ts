import type { ManagementMode } from '@fleetops/protocol';
import { expect, it } from 'vitest';
import { describeStores, deviceApi, enroll, type Harness, type TestOrg } from './harness';

interface TestDevice {
  deviceId: string;
  credential: string;
  serial: string;
}

/** Enrolls `count` devices into `org` and returns them with their serials. */
async function devicesOf(
  server: Harness,
  org: TestOrg,
  count: number,
  options: { mode?: ManagementMode; group?: string; os?: 'android' | 'ios' } = {},
): Promise<TestDevice[]> {
  const token = await org.enrollmentToken({ maxUses: null, mode: options.mode, group: options.group });
  const devices: TestDevice[] = [];
  for (let i = 0; i < count; i++) {
    const serial = `S${org.id.slice(0, 8)}${String(Math.random()).slice(2, 10)}`;
    const enrolled = await enroll(server, token, { serial, ...(options.os && { os: options.os }) });
    devices.push({ ...enrolled, serial });
  }
  return devices;
}

const poll = async (server: Harness, device: TestDevice, wait = 0) =>
  (await (await deviceApi(server, device.credential, `/device/v1/commands?wait=${wait}`)).json())
    .commands as {
    id: string;
    type: string;
    params: Record<string, unknown>;
  }[];

const report = (server: Harness, device: TestDevice, commandId: string, status: string, error?: string) =>
  deviceApi(server, device.credential, `/device/v1/commands/${commandId}/result`, { status, error });

describeStores('jobs', (server) => {
  const createJob = (token: string, body: unknown, headers?: Record<string, string>) =>
    server.api(token, '/v1/jobs', { method: 'POST', body, headers });
  const getJob = async (token: string, id: string) => (await server.api(token, `/v1/jobs/${id}`)).json();
  const results = async (token: string, id: string, query = '') =>
    (await (await server.api(token, `/v1/jobs/${id}/results${query}`)).json()).data;
  const jobCount = async (org: TestOrg) =>
    (await (await server.api(org.tokens.viewer, '/v1/jobs')).json()).data.length;

  it('sends one command per device named, traced to its input line, and completes as devices report', async () => {
    const org = await server.newOrg();
    const devices = await devicesOf(server, org, 3);
    const response = await createJob(org.tokens.operator, {
      type: 'lock',
      params: { message: 'Return to IT' },
      reason: 'reported lost',
      targets: {
        devices: [
          { by: 'id', value: devices[0]!.deviceId, line: 2 },
          { by: 'serial', value: devices[1]!.serial, line: 3 },
          { by: 'id', value: devices[2]!.deviceId.toUpperCase(), line: 4 },
        ],
      },
    });
    expect(response.status).toBe(201);
    const job = await response.json();
    expect(job).toMatchObject({
      type: 'lock',
      status: 'running',
      reason: 'reported lost',
      createdBy: 'operator-token',
      targetCount: 3,
      unresolved: [],
    });
    expect(job.counts).toMatchObject({ queued: 3, succeeded: 0, skipped: 0 });

    const rows = await results(org.tokens.viewer, job.id);
    expect(rows.map((r: { line: number }) => r.line).sort()).toEqual([2, 3, 4]);
    expect(rows.every((r: { status: string }) => r.status === 'queued')).toBe(true);

    for (const [i, device] of devices.entries()) {
      const [command] = await poll(server, device);
      expect(command).toMatchObject({ type: 'lock', params: { message: 'Return to IT' } });
      expect(
        (await report(server, device, command!.id, i === 2 ? 'failed' : 'succeeded', 'no screen lock'))
          .status,
      ).toBe(200);
    }
    const done = await getJob(org.tokens.viewer, job.id);
    expect(done.status).toBe('completed');
    expect(done.counts).toMatchObject({ succeeded: 2, failed: 1, queued: 0 });
    expect(done.completedAt).not.toBeNull();
    const failed = await results(org.tokens.viewer, job.id, '?status=failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ deviceId: devices[2]!.deviceId, line: 4, error: 'no screen lock' });
    const listed = await (await server.api(org.tokens.viewer, '/v1/jobs?status=completed')).json();
    expect(listed.data.map((j: { id: string }) => j.id)).toEqual([job.id]);
  });

  it('targets a selector, evaluated once: devices enrolled later are not added', async () => {
    const org = await server.newOrg();
    await devicesOf(server, org, 2, { group: 'sales' });
    await devicesOf(server, org, 1, { group: 'ops' });
    const job = await (
      await createJob(org.tokens.operator, { type: 'sync', targets: { where: 'group = sales' } })
    ).json();
    expect(job).toMatchObject({ targetCount: 2, selector: 'group = sales' });
    await devicesOf(server, org, 1, { group: 'sales' });
    expect((await getJob(org.tokens.viewer, job.id)).targetCount).toBe(2);
    expect(await results(org.tokens.viewer, job.id)).toHaveLength(2);
  });

  it('refuses an empty selector, and one matching the whole fleet unless all is given', async () => {
    const org = await server.newOrg();
    await devicesOf(server, org, 2);
    const empty = await createJob(org.tokens.operator, { type: 'sync', targets: { where: '  ' } });
    expect(empty.status).toBe(422);
    expect((await empty.json()).error).toMatchObject({ code: 'guard_refused' });
    const everything = await createJob(org.tokens.operator, {
      type: 'sync',
      targets: { where: 'os = android' },
    });
    expect(everything.status).toBe(422);
    expect((await everything.json()).error.message).toContain('matches every active device (2)');
    expect(await jobCount(org)).toBe(0);
    const allowed = await createJob(org.tokens.operator, {
      type: 'sync',
      targets: { where: 'os = android', all: true },
    });
    expect(allowed.status).toBe(201);
    expect(await allowed.json()).toMatchObject({ selector: 'os = android', targetCount: 2 });
    await devicesOf(server, org, 1, { os: 'ios' });
    const narrowed = await createJob(org.tokens.operator, {
      type: 'sync',
      targets: { where: 'os = android', all: true },
    });
    expect((await narrowed.json()).targetCount).toBe(2);
    const all = await createJob(org.tokens.operator, { type: 'sync', targets: { all: true } });
    expect((await all.json()).targetCount).toBe(3);
  });

  it('points a selector syntax error at its column', async () => {
    const org = await server.newOrg();
    const response = await createJob(org.tokens.operator, { type: 'sync', targets: { where: 'group = ' } });
    expect(response.status).toBe(400);
    const { error } = await response.json();
    expect(error.details).toMatchObject({ column: 9 });
    expect(error.details.issues[0].path).toBe('body.targets.where');
  });

  it('names the field of bad parameters and an unknown command type', async () => {
    const org = await server.newOrg();
    const [device] = await devicesOf(server, org, 1);
    const targets = { devices: [{ value: device!.deviceId }] };
    const badParams = await createJob(org.tokens.operator, {
      type: 'ring',
      params: { durationSeconds: 1 },
      targets,
    });
    expect(badParams.status).toBe(400);
    expect((await badParams.json()).error.details.issues[0].path).toContain('durationSeconds');
    const badType = await createJob(org.tokens.operator, { type: 'self-destruct', targets });
    expect(badType.status).toBe(400);
    expect((await badType.json()).error.details.issues[0].path).toContain('type');
  });

  it('refuses refs that match no device, another org’s device, several devices or one already named, each with its line', async () => {
    const org = await server.newOrg();
    const other = await server.newOrg('other');
    const [mine, second] = await devicesOf(server, org, 2);
    const [theirs] = await devicesOf(server, other, 1);
    const response = await createJob(org.tokens.operator, {
      type: 'lock',
      targets: {
        devices: [
          { by: 'id', value: mine!.deviceId, line: 2 },
          { by: 'id', value: theirs!.deviceId, line: 3 },
          { by: 'serial', value: 'NO-SUCH-SERIAL', line: 4 },
          { by: 'imei', value: '356938035643809', line: 5 },
          { by: 'serial', value: mine!.serial, line: 6 },
          { by: 'id', value: 'not-an-id', line: 7 },
        ],
      },
    });
    expect(response.status).toBe(422);
    const { error } = await response.json();
    expect(error.code).toBe('guard_refused');
    const problems = error.details.unresolved.map((u: { line: number; problem: string }) => [
      u.line,
      u.problem,
    ]);
    expect(problems).toEqual([
      [3, 'not_found'],
      [4, 'not_found'],
      [5, 'ambiguous'],
      [6, 'duplicate'],
      [7, 'not_found'],
    ]);
    expect(error.message).toContain('line 3');
    expect(await jobCount(org)).toBe(0);
    expect(await poll(server, mine!)).toEqual([]);
    expect(await poll(server, second!)).toEqual([]);
    expect(await poll(server, theirs!)).toEqual([]);
  });

  it('previews the blast radius without creating anything', async () => {
    const org = await server.newOrg();
    const owned = await devicesOf(server, org, 2);
    const personal = await devicesOf(server, org, 1, { mode: 'BYOD' });
    const response = await server.api(org.tokens.viewer, '/v1/jobs/preview', {
      method: 'POST',
      body: { type: 'wipe', targets: { all: true }, sampleSize: 10 },
    });
    expect(response.status).toBe(200);
    const preview = await response.json();
    expect(preview).toMatchObject({
      targetCount: 3,
      eligibleCount: 2,
      skipped: { byod_wipe: 1 },
      unresolved: [],
    });
    const skipped = preview.devices.find((d: { deviceId: string }) => d.deviceId === personal[0]!.deviceId);
    expect(skipped).toMatchObject({ eligible: false, skipReason: 'byod_wipe' });
    expect(skipped.message).toContain('retire');
    expect(preview.devices.filter((d: { eligible: boolean }) => d.eligible)).toHaveLength(owned.length);
    expect(preview.refusal).toBeNull();
    expect(await jobCount(org)).toBe(0);
    expect(await poll(server, owned[0]!)).toEqual([]);
  });

  it('says in a preview why the job would be refused', async () => {
    const org = await server.newOrg();
    await devicesOf(server, org, 2);
    const preview = async (body: object) =>
      (await server.api(org.tokens.viewer, '/v1/jobs/preview', { method: 'POST', body })).json();
    expect((await preview({ type: 'sync', targets: { where: 'os = android' } })).refusal).toContain(
      'matches every active device',
    );
    expect((await preview({ type: 'sync', targets: { all: true }, expectCount: 5 })).refusal).toContain(
      'not the 5 expected',
    );
    await server.api(org.tokens.admin, '/v1/settings', {
      method: 'PATCH',
      body: { destructiveBudgetPerHour: 1 },
    });
    expect((await preview({ type: 'wipe', targets: { all: true } })).refusal).toContain('budget of 1');
    expect((await preview({ type: 'sync', targets: { all: true } })).refusal).toBeNull();
  });

  it('refuses when the resolved count is not the expected one or exceeds the maximum', async () => {
    const org = await server.newOrg();
    await devicesOf(server, org, 3);
    const targets = { all: true };
    const expected = await createJob(org.tokens.operator, { type: 'reboot', targets, expectCount: 2 });
    expect(expected.status).toBe(422);
    expect((await expected.json()).error.message).toContain('resolve to 3 devices, not the 2 expected');
    const max = await createJob(org.tokens.operator, { type: 'reboot', targets, maxTargets: 2 });
    expect(max.status).toBe(422);
    expect(await jobCount(org)).toBe(0);
    const wipe = await createJob(org.tokens.admin, { type: 'wipe', targets, maxTargets: 2 });
    expect(wipe.status).toBe(422);
    expect(await jobCount(org)).toBe(0);
    expect((await createJob(org.tokens.operator, { type: 'reboot', targets, expectCount: 3 })).status).toBe(
      201,
    );
  });

  it('skips wiping a personally owned device with a reason, and lets retire through', async () => {
    const org = await server.newOrg();
    const [personal] = await devicesOf(server, org, 1, { mode: 'BYOD' });
    const [owned] = await devicesOf(server, org, 1);
    const targets = { devices: [{ value: personal!.deviceId }, { value: owned!.deviceId }] };
    const wipe = await (await createJob(org.tokens.admin, { type: 'wipe', targets })).json();
    expect(wipe.counts).toMatchObject({ queued: 1, skipped: 1 });
    const [skipped] = await results(org.tokens.viewer, wipe.id, '?status=skipped');
    expect(skipped).toMatchObject({ deviceId: personal!.deviceId });
    expect(skipped.error).toContain('personally owned (BYOD)');
    expect(await poll(server, personal!)).toEqual([]);
    const retire = await (
      await createJob(org.tokens.admin, {
        type: 'retire',
        targets: { devices: [{ value: personal!.deviceId }] },
      })
    ).json();
    expect(retire.counts).toMatchObject({ queued: 1, skipped: 0 });
  });

  it('keeps at most one pending destructive command per device: a second wipe is refused naming the job', async () => {
    const org = await server.newOrg();
    const [device, another] = await devicesOf(server, org, 2);
    const first = await (
      await createJob(org.tokens.admin, { type: 'wipe', targets: { devices: [{ value: device!.deviceId }] } })
    ).json();
    const again = await createJob(org.tokens.admin, {
      type: 'wipe',
      targets: { devices: [{ value: device!.deviceId }] },
    });
    expect(again.status).toBe(409);
    expect((await again.json()).error.message).toContain(`job ${first.id}`);
    const single = await server.api(org.tokens.admin, `/v1/devices/${device!.deviceId}/commands`, {
      method: 'POST',
      body: { type: 'retire' },
    });
    expect(single.status).toBe(409);
    expect((await single.json()).error.message).toContain(first.id);
    const mixed = await (
      await createJob(org.tokens.admin, {
        type: 'wipe',
        targets: { devices: [{ value: device!.deviceId }, { value: another!.deviceId }] },
      })
    ).json();
    expect(mixed.counts).toMatchObject({ queued: 1, skipped: 1 });
  });

  it('needs an admin token for destructive jobs', async () => {
    const org = await server.newOrg();
    const [device] = await devicesOf(server, org, 1);
    const targets = { devices: [{ value: device!.deviceId }] };
    const response = await createJob(org.tokens.operator, { type: 'wipe', targets });
    expect(response.status).toBe(403);
    expect((await response.json()).error.details.requiredRole).toBe('admin');
    expect((await createJob(org.tokens.viewer, { type: 'lock', targets })).status).toBe(403);
  });

  it('holds a destructive job over the approval threshold until a different admin approves that exact list', async () => {
    const org = await server.newOrg();
    const devices = await devicesOf(server, org, 3);
    await server.api(org.tokens.admin, '/v1/settings', { method: 'PATCH', body: { approvalThreshold: 2 } });
    const job = await (
      await createJob(org.tokens.admin, { type: 'wipe', targets: { all: true }, reason: 'breach' })
    ).json();
    expect(job).toMatchObject({ status: 'awaiting_approval', requiresApproval: true, approvedBy: null });
    expect(job.approvalExpiresAt).not.toBeNull();
    expect(await poll(server, devices[0]!)).toEqual([]);

    const own = await server.api(org.tokens.admin, `/v1/jobs/${job.id}/approve`, { method: 'POST' });
    expect(own.status).toBe(403);
    expect((await own.json()).error.message).toContain('another admin must approve');
    const late = await devicesOf(server, org, 1);

    const second = (await server.services.apiTokens.create(org.id, 'second-admin', 'admin')).token;
    const approved = await server.api(second, `/v1/jobs/${job.id}/approve`, { method: 'POST' });
    expect(approved.status).toBe(200);
    expect(await approved.json()).toMatchObject({
      status: 'running',
      approvedBy: 'second-admin',
      targetCount: 3,
    });
    for (const device of devices) expect((await poll(server, device)).map((c) => c.type)).toEqual(['wipe']);
    expect(await poll(server, late[0]!)).toEqual([]);
    const twice = await server.api(second, `/v1/jobs/${job.id}/approve`, { method: 'POST' });
    expect(twice.status).toBe(409);
  });

  it('expires an unapproved job after its window with nothing delivered', async () => {
    const org = await server.newOrg();
    const devices = await devicesOf(server, org, 2);
    await server.api(org.tokens.admin, '/v1/settings', { method: 'PATCH', body: { approvalThreshold: 1 } });
    const job = await (await createJob(org.tokens.admin, { type: 'retire', targets: { all: true } })).json();
    await server.db.query("UPDATE jobs SET approval_expires_at = now() - interval '1 second' WHERE id = $1", [
      job.id,
    ]);
    expect((await getJob(org.tokens.viewer, job.id)).status).toBe('expired');
    await server.services.jobs.sweep();
    const expired = await getJob(org.tokens.viewer, job.id);
    expect(expired).toMatchObject({ status: 'expired' });
    expect(expired.counts).toMatchObject({ expired: 2, queued: 0, delivered: 0 });
    expect(await poll(server, devices[0]!)).toEqual([]);
    const second = (await server.services.apiTokens.create(org.id, 'late-admin', 'admin')).token;
    expect((await server.api(second, `/v1/jobs/${job.id}/approve`, { method: 'POST' })).status).toBe(409);
  });

  it('refuses destructive commands past the hourly budget with 429 and Retry-After', async () => {
    const org = await server.newOrg();
    const devices = await devicesOf(server, org, 3);
    await server.api(org.tokens.admin, '/v1/settings', {
      method: 'PATCH',
      body: { destructiveBudgetPerHour: 2 },
    });
    const settings = await (await server.api(org.tokens.viewer, '/v1/settings')).json();
    expect(settings).toEqual({
      approvalThreshold: null,
      destructiveBudgetPerHour: 2,
      retention: {},
      retentionAction: 'anonymize',
    });
    const ids = devices.map((d) => ({ value: d.deviceId }));
    const tooBig = await createJob(org.tokens.admin, { type: 'retire', targets: { devices: ids } });
    expect(tooBig.status).toBe(422);
    expect(
      (await createJob(org.tokens.admin, { type: 'retire', targets: { devices: ids.slice(0, 2) } })).status,
    ).toBe(201);
    const over = await createJob(org.tokens.admin, { type: 'retire', targets: { devices: ids.slice(2) } });
    expect(over.status).toBe(429);
    const retryAfter = Number(over.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(3000);
    expect(retryAfter).toBeLessThanOrEqual(3600);
    expect(over.headers.get('x-should-retry')).toBe('false');
    expect((await over.json()).error.code).toBe('rate_limited');
    const single = await server.api(org.tokens.admin, `/v1/devices/${devices[2]!.deviceId}/commands`, {
      method: 'POST',
      body: { type: 'retire' },
    });
    expect(single.status).toBe(429);
    expect((await createJob(org.tokens.admin, { type: 'lock', targets: { devices: ids } })).status).toBe(201);
  });

  it('delays delivery, and a delayed job can be canceled before anything is delivered', async () => {
    const org = await server.newOrg();
    const [device] = await devicesOf(server, org, 1);
    const targets = { devices: [{ value: device!.deviceId }] };
    const delayed = await (
      await createJob(org.tokens.admin, { type: 'wipe', targets, delaySeconds: 900 })
    ).json();
    expect(delayed.status).toBe('scheduled');
    expect(delayed.notBefore).not.toBeNull();
    expect(await poll(server, device!)).toEqual([]);
    const canceled = await server.api(org.tokens.operator, `/v1/jobs/${delayed.id}/cancel`, {
      method: 'POST',
    });
    expect(await canceled.json()).toMatchObject({ status: 'canceled', canceledBy: 'operator-token' });
    expect((await getJob(org.tokens.viewer, delayed.id)).counts).toMatchObject({ canceled: 1, queued: 0 });

    const later = await (
      await createJob(org.tokens.operator, { type: 'reboot', targets, delaySeconds: 900 })
    ).json();
    await server.db.query("UPDATE jobs SET not_before = now() - interval '1 second' WHERE id = $1", [
      later.id,
    ]);
    expect((await poll(server, device!)).map((c) => c.type)).toEqual(['reboot']);
    expect((await server.services.jobs.sweep()).started).toContain(later.id);
  });

  it('runs a job after an earlier one, per device: only where that device’s command succeeded', async () => {
    const org = await server.newOrg();
    const [good, bad] = await devicesOf(server, org, 2);
    const targets = { devices: [{ value: good!.deviceId }, { value: bad!.deviceId }] };
    const lock = await (await createJob(org.tokens.operator, { type: 'lock', targets })).json();
    const wipe = await (
      await createJob(org.tokens.admin, { type: 'wipe', targets, afterJobId: lock.id })
    ).json();
    expect(wipe.afterJobId).toBe(lock.id);

    const [goodLock] = await poll(server, good!);
    expect(goodLock!.type).toBe('lock');
    expect(await poll(server, good!)).toEqual([]);
    await report(server, good!, goodLock!.id, 'succeeded');
    expect((await poll(server, good!)).map((c) => c.type)).toEqual(['wipe']);

    const [badLock] = await poll(server, bad!);
    await report(server, bad!, badLock!.id, 'failed', 'device busy');
    expect(await poll(server, bad!)).toEqual([]);
    const [waiting] = await results(org.tokens.viewer, wipe.id, '?status=canceled');
    expect(waiting).toMatchObject({ deviceId: bad!.deviceId });
    expect(waiting.error).toContain('failed');
  });

  it('delivers lock and wipe ahead of a backlog of routine commands', async () => {
    const org = await server.newOrg();
    const [device] = await devicesOf(server, org, 1);
    const targets = { devices: [{ value: device!.deviceId }] };
    for (let i = 0; i < 120; i++) {
      await server.api(org.tokens.operator, `/v1/devices/${device!.deviceId}/commands`, {
        method: 'POST',
        body: { type: 'message', params: { body: `notice ${i}` } },
      });
    }
    await createJob(org.tokens.operator, { type: 'lock', targets });
    const delivered = await poll(server, device!);
    expect(delivered[0]!.type).toBe('lock');
    expect(delivered.filter((c) => c.type === 'message').length).toBeLessThan(120);
  });

  it('never delivers a command of an earlier enrollment to the re-enrolled device', async () => {
    const org = await server.newOrg();
    const [device] = await devicesOf(server, org, 1);
    const job = await (
      await createJob(org.tokens.operator, {
        type: 'ring',
        targets: { devices: [{ value: device!.deviceId }] },
      })
    ).json();
    const token = await org.enrollmentToken();
    const again = await enroll(server, token, { serial: device!.serial });
    const record = await (await server.api(org.tokens.viewer, `/v1/devices/${again.deviceId}`)).json();
    expect(record.enrollmentGeneration).toBe(2);
    const earlier = await (await server.api(org.tokens.viewer, `/v1/devices/${device!.deviceId}`)).json();
    expect(earlier.status).toBe('retired');
    expect(await poll(server, { ...again, serial: device!.serial })).toEqual([]);
    const [outcome] = await results(org.tokens.viewer, job.id);
    expect(outcome).toMatchObject({ status: 'canceled', error: 'enrolled again' });
    const byId = await createJob(org.tokens.operator, {
      type: 'ring',
      targets: { devices: [{ by: 'serial', value: device!.serial }] },
    });
    const fresh = await byId.json();
    expect((await results(org.tokens.viewer, fresh.id))[0].deviceId).toBe(again.deviceId);
  });

  it('redelivers a command whose result was lost, under the same id', async () => {
    const org = await server.newOrg();
    const [device] = await devicesOf(server, org, 1);
    const job = await (
      await createJob(org.tokens.operator, {
        type: 'reboot',
        targets: { devices: [{ value: device!.deviceId }] },
      })
    ).json();
    const [first] = await poll(server, device!);
    expect(await poll(server, device!)).toEqual([]);
    await server.db.query("UPDATE commands SET delivered_at = now() - interval '61 seconds' WHERE id = $1", [
      first!.id,
    ]);
    const [again] = await poll(server, device!);
    expect(again!.id).toBe(first!.id);
    await report(server, device!, first!.id, 'succeeded');
    await report(server, device!, first!.id, 'succeeded');
    expect((await getJob(org.tokens.viewer, job.id)).counts).toMatchObject({ succeeded: 1, delivered: 0 });
  });

  it('cancels what is left of a job; a device reporting on a canceled command is told not to run it', async () => {
    const org = await server.newOrg();
    const [done, pending] = await devicesOf(server, org, 2);
    const job = await (
      await createJob(org.tokens.operator, {
        type: 'locate',
        targets: { devices: [{ value: done!.deviceId }, { value: pending!.deviceId }] },
      })
    ).json();
    const [first] = await poll(server, done!);
    await report(server, done!, first!.id, 'succeeded');
    const [second] = await poll(server, pending!);
    const canceled = await (
      await server.api(org.tokens.operator, `/v1/jobs/${job.id}/cancel`, { method: 'POST' })
    ).json();
    expect(canceled).toMatchObject({ status: 'canceled' });
    expect(canceled.counts).toMatchObject({ succeeded: 1, canceled: 1 });
    expect((await report(server, pending!, second!.id, 'acknowledged')).status).toBe(409);
    const again = await server.api(org.tokens.operator, `/v1/jobs/${job.id}/cancel`, { method: 'POST' });
    expect(again.status).toBe(409);
  });

  it('attaches a retry with the same idempotency key to the job it created: no second job, no second command', async () => {
    const org = await server.newOrg();
    const devices = await devicesOf(server, org, 2);
    const body = { type: 'lock', targets: { all: true } };
    const headers = { 'idempotency-key': 'run-1234-lock' };
    const first = await (await createJob(org.tokens.operator, body, headers)).json();
    const second = await (await createJob(org.tokens.operator, body, headers)).json();
    expect(second.id).toBe(first.id);
    await server.db.query('DELETE FROM idempotency_keys WHERE key = $1', ['run-1234-lock']);
    const third = await (await createJob(org.tokens.operator, body, headers)).json();
    expect(third.id).toBe(first.id);
    expect(await jobCount(org)).toBe(1);
    expect(await poll(server, devices[0]!)).toHaveLength(1);
  });

  it('wakes a long-polling device as soon as a job has a command for it', async () => {
    const org = await server.newOrg();
    const [device] = await devicesOf(server, org, 1);
    const waiting = poll(server, device!, 30);
    await new Promise((resolve) => setTimeout(resolve, 200));
    await createJob(org.tokens.operator, {
      type: 'lock',
      targets: { devices: [{ value: device!.deviceId }] },
    });
    expect((await waiting).map((c) => c.type)).toEqual(['lock']);
  }, 15_000);
});
