import {
  type ActivityCheckpoint,
  type ActivityEntry,
  type ActivityVerifyResult,
  adminRoutes,
  CLIENT_CONTEXT_HEADER,
  type RouteSpec,
} from '@fleetops/protocol';
import { describe, expect, it } from 'vitest';
import { activityAction, isAudited } from '../src/http/activity';
import { entryHash, signCheckpoint } from '../src/repositories/activity/hash';
import { describeStores, enroll, type TestOrg } from './harness';

describe('activity actions', () => {
  it('names every mutating admin route as resource.verb, each its own', () => {
    const mutating = Object.entries(adminRoutes as Record<string, RouteSpec>).filter(([, spec]) =>
      isAudited(spec),
    );
    const actions = Object.fromEntries(mutating.map(([name, spec]) => [name, activityAction(spec)]));
    expect(actions).toEqual({
      createToken: 'tokens.create',
      revokeToken: 'tokens.revoke',
      createEnrollmentToken: 'enrollmentTokens.create',
      revokeEnrollmentToken: 'enrollmentTokens.revoke',
      updateDevice: 'devices.update',
      retireDevice: 'devices.retire',
      sendDeviceCommand: 'devices.sendCommand',
      createJob: 'jobs.create',
      cancelJob: 'jobs.cancel',
      approveJob: 'jobs.approve',
      putPolicy: 'policies.put',
      applyPolicies: 'policies.apply',
      rollbackPolicies: 'policies.rollback',
      createRollout: 'rollouts.create',
      pauseRollout: 'rollouts.pause',
      resumeRollout: 'rollouts.resume',
      abortRollout: 'rollouts.abort',
      rollbackRollout: 'rollouts.rollback',
      updateSettings: 'settings.update',
      runRetention: 'retention.run',
      createUser: 'users.create',
      importUsers: 'users.import',
      disableUser: 'users.disable',
      enableUser: 'users.enable',
      offboardUser: 'users.offboard',
      applyComplianceRules: 'compliance.applyRules',
      startComplianceScan: 'compliance.scan',
      remediateCompliance: 'compliance.remediate',
    });
    expect(new Set(Object.values(actions)).size).toBe(mutating.length);
  });

  it('refuses a mutating route that is not in the contract', () => {
    const stray: RouteSpec = { ...adminRoutes.createToken, path: '/v1/stray' };
    expect(() => activityAction(stray)).toThrow(/POST \/v1\/stray is not in adminRoutes/);
  });
});

describeStores('admin activity log', (server) => {
  const activity = async (org: TestOrg, query = ''): Promise<ActivityEntry[]> => {
    const response = await server.api(org.tokens.auditor, `/v1/audit/activity${query}`);
    expect(response.status).toBe(200);
    return (await response.json()).data;
  };
  const verify = async (org: TestOrg, query = ''): Promise<ActivityVerifyResult> => {
    const response = await server.api(org.tokens.auditor, `/v1/audit/verify${query}`);
    expect(response.status).toBe(200);
    return response.json();
  };
  const patchSettings = (org: TestOrg, approvalThreshold: number | null) =>
    server.api(org.tokens.admin, '/v1/settings', { method: 'PATCH', body: { approvalThreshold } });

  /** A new org whose log holds `n` entries (settings changes). */
  const orgWithEntries = async (n: number) => {
    const org = await server.newOrg('chain');
    for (let i = 1; i <= n; i += 1) expect((await patchSettings(org, i)).status).toBe(200);
    return org;
  };

  const entryAt = async (org: TestOrg, seq: number) =>
    (await activity(org, '?limit=1000')).find((entry) => entry.seq === seq);

  /** Rewrites entries from `fromSeq` on with their hashes recomputed, as someone with database access could. */
  const rewriteFrom = async (org: TestOrg, fromSeq: number, action: string) => {
    let prevHash = (await entryAt(org, fromSeq - 1))?.hash ?? '0'.repeat(64);
    for (const entry of (await activity(org)).filter((e) => e.seq >= fromSeq)) {
      const edited = { ...entry, action: entry.seq === fromSeq ? action : entry.action, prevHash };
      const hash = entryHash(prevHash, { orgId: org.id, ...edited });
      await server.db.query(
        'UPDATE activity_log SET action = $3, prev_hash = $4, hash = $5 WHERE org_id = $1 AND seq = $2',
        [org.id, entry.seq, edited.action, prevHash, hash],
      );
      prevHash = hash;
    }
  };

  it('records who changed what, from where, with the fields that changed and the client context', async () => {
    const org = await server.newOrg();
    const { deviceId } = await enroll(server, await org.enrollmentToken());
    const context = { gitCommit: '4f2a9c1', ciRun: '1234' };
    const patched = await server.api(org.tokens.operator, `/v1/devices/${deviceId}`, {
      method: 'PATCH',
      body: { group: 'sales', addLabels: ['lost'] },
      headers: { [CLIENT_CONTEXT_HEADER]: JSON.stringify(context), 'x-request-id': 'req-activity-1' },
    });
    expect(patched.status).toBe(200);
    const created = await server.api(org.tokens.admin, '/v1/tokens', {
      method: 'POST',
      body: { name: 'ci-bot', role: 'viewer' },
    });
    expect(created.status).toBe(201);
    const token = await created.json();
    const enrollment = await server.api(org.tokens.admin, '/v1/enrollment-tokens', {
      method: 'POST',
      body: { group: 'kiosks' },
    });
    const enrollmentToken = await enrollment.json();
    expect((await patchSettings(org, 25)).status).toBe(200);
    const job = await server.api(org.tokens.operator, '/v1/jobs', {
      method: 'POST',
      body: { type: 'lock', targets: { devices: [{ by: 'id', value: deviceId }] } },
    });
    expect(job.status).toBe(201);
    const jobId = (await job.json()).id;

    const entries = await activity(org);
    expect(entries.map((e) => [e.seq, e.action])).toEqual([
      [1, 'devices.update'],
      [2, 'tokens.create'],
      [3, 'enrollmentTokens.create'],
      [4, 'settings.update'],
      [5, 'jobs.create'],
    ]);
    const [update, tokenEntry, enrollmentEntry, settings, jobEntry] = entries;
    expect(update).toMatchObject({
      actor: { tokenName: 'operator-token', role: 'operator' },
      ip: '127.0.0.1',
      requestId: 'req-activity-1',
      target: { type: 'device', id: deviceId },
      changes: {
        before: { group: 'default', labels: [] },
        after: { group: 'sales', labels: ['lost'] },
      },
      context,
      prevHash: '0'.repeat(64),
    });
    expect(Object.keys(update!.changes!.before as object).sort()).toEqual(['group', 'labels']);
    expect(update!.hash).toMatch(/^[0-9a-f]{64}$/);

    expect(tokenEntry).toMatchObject({
      target: { type: 'token', id: token.id },
      changes: { after: { name: 'ci-bot', role: 'viewer' } },
      context: {},
      prevHash: update!.hash,
    });
    expect(tokenEntry!.changes).not.toHaveProperty('before');
    expect(JSON.stringify(tokenEntry)).not.toContain(token.token);
    expect(enrollmentEntry!.target).toEqual({ type: 'enrollmentToken', id: enrollmentToken.id });
    expect(enrollmentEntry!.changes!.after).toMatchObject({ group: 'kiosks' });
    expect(JSON.stringify(enrollmentEntry)).not.toContain(enrollmentToken.token);

    expect(settings).toMatchObject({
      actor: { tokenName: 'admin-token', role: 'admin' },
      target: { type: 'org', id: org.id },
      changes: { before: { approvalThreshold: null }, after: { approvalThreshold: 25 } },
    });
    expect(jobEntry!.target).toEqual({ type: 'job', id: jobId });
  });

  it("records changes to a user's account without their personal data", async () => {
    const org = await server.newOrg();
    const person = {
      email: 'erin.walsh@example.com',
      name: 'Erin Walsh',
      phone: '+14155550142',
      externalId: 'HR-9931',
    };
    const created = await server.api(org.tokens.admin, '/v1/users', { method: 'POST', body: person });
    expect(created.status).toBe(201);
    const user = await created.json();
    const disabled = await server.api(org.tokens.admin, `/v1/users/${user.id}/disable`, { method: 'POST' });
    expect(disabled.status).toBe(200);

    const [create, disable] = await activity(org);
    expect(create).toMatchObject({ action: 'users.create', target: { type: 'user', id: user.id } });
    expect(create!.changes!.after).toMatchObject({ id: user.id, status: 'active' });
    expect(disable).toMatchObject({
      action: 'users.disable',
      target: { type: 'user', id: user.id },
      changes: { before: { status: 'active', disabledAt: null }, after: { status: 'disabled' } },
    });
    const logged = JSON.stringify([create, disable]);
    for (const value of Object.values(person)) expect(logged).not.toContain(value);
  });

  it("names a target addressed in capitals by its id, so that the user's data export finds it", async () => {
    const org = await server.newOrg();
    const { deviceId } = await enroll(server, await org.enrollmentToken());
    const created = await server.api(org.tokens.admin, '/v1/users', {
      method: 'POST',
      body: { email: 'caps@example.com', name: 'Casey' },
    });
    expect(created.status).toBe(201);
    const user = await created.json();
    const owned = await server.api(org.tokens.admin, `/v1/devices/${deviceId.toUpperCase()}`, {
      method: 'PATCH',
      body: { ownerId: user.id },
    });
    expect(owned.status).toBe(200);
    const disabled = await server.api(org.tokens.admin, `/v1/users/${user.id.toUpperCase()}/disable`, {
      method: 'POST',
    });
    expect(disabled.status).toBe(200);

    const [, update, disable] = await activity(org);
    expect(update).toMatchObject({ action: 'devices.update', target: { type: 'device', id: deviceId } });
    expect(disable).toMatchObject({ action: 'users.disable', target: { type: 'user', id: user.id } });
    const exported = await (await server.api(org.tokens.admin, `/v1/users/${user.id}/data`)).json();
    expect(exported.activity.map((entry: ActivityEntry) => entry.action)).toEqual([
      'users.create',
      'devices.update',
      'users.disable',
    ]);
  });

  it('filters by action prefix, actor and target, and pages by seq', async () => {
    const org = await server.newOrg();
    const { deviceId } = await enroll(server, await org.enrollmentToken());
    for (const group of ['a', 'b', 'c']) {
      await server.api(org.tokens.operator, `/v1/devices/${deviceId}`, { method: 'PATCH', body: { group } });
    }
    await patchSettings(org, 5);
    expect((await activity(org, '?action=devices.')).map((e) => e.seq)).toEqual([1, 2, 3]);
    expect((await activity(org, '?action=settings.update')).map((e) => e.seq)).toEqual([4]);
    expect((await activity(org, '?actor=admin-token')).map((e) => e.seq)).toEqual([4]);
    expect((await activity(org, `?targetId=${deviceId}`)).map((e) => e.seq)).toEqual([1, 2, 3]);
    const first = await (await server.api(org.tokens.auditor, '/v1/audit/activity?limit=3')).json();
    expect(first.data.map((e: ActivityEntry) => e.seq)).toEqual([1, 2, 3]);
    const rest = await activity(org, `?limit=3&cursor=${first.nextCursor}`);
    expect(rest.map((e) => e.seq)).toEqual([4]);
  });

  it('appends nothing for a call that fails', async () => {
    const org = await server.newOrg();
    const { deviceId } = await enroll(server, await org.enrollmentToken());
    const invalid = await server.api(org.tokens.operator, `/v1/devices/${deviceId}`, {
      method: 'PATCH',
      body: {},
    });
    expect(invalid.status).toBe(400);
    const guard = await server.api(org.tokens.operator, '/v1/jobs', {
      method: 'POST',
      body: { type: 'lock', targets: { devices: [{ by: 'id', value: deviceId }] }, expectCount: 2 },
    });
    expect((await guard.json()).error.code).toBe('guard_refused');
    const wipe = await server.api(org.tokens.operator, `/v1/devices/${deviceId}/commands`, {
      method: 'POST',
      body: { type: 'wipe' },
    });
    expect(wipe.status).toBe(403);
    const badContext = await server.api(org.tokens.admin, '/v1/settings', {
      method: 'PATCH',
      body: { approvalThreshold: 3 },
      headers: { [CLIENT_CONTEXT_HEADER]: '{"git commit": "x"}' },
    });
    expect(badContext.status).toBe(400);
    const { error } = await badContext.json();
    expect(error.code).toBe('bad_request');
    expect(error.message).toContain(CLIENT_CONTEXT_HEADER);

    expect(await activity(org)).toEqual([]);
    expect((await (await server.api(org.tokens.viewer, '/v1/settings')).json()).approvalThreshold).toBeNull();
    expect((await (await server.api(org.tokens.viewer, '/v1/jobs')).json()).data).toEqual([]);
  });

  it('keeps one gapless chain under concurrent changes', async () => {
    const org = await server.newOrg();
    const { deviceId } = await enroll(server, await org.enrollmentToken());
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        server.api(org.tokens.operator, `/v1/devices/${deviceId}`, {
          method: 'PATCH',
          body: { addLabels: [`l${i}`] },
        }),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(200));
    const entries = await activity(org, '?limit=100');
    expect(entries.map((e) => e.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(new Set(entries.map((e) => e.requestId)).size).toBe(20);
    const result = await verify(org);
    expect(result).toMatchObject({
      ok: true,
      entries: 20,
      head: { seq: 20, hash: entries[19]!.hash },
      broken: null,
    });
  });

  it('verifies an untouched chain and signs its head in a checkpoint', async () => {
    const org = await orgWithEntries(3);
    const result = await verify(org);
    expect(result).toMatchObject({ ok: true, entries: 3, checkpoints: 0, broken: null });
    expect(result.latestCheckpoint).toMatchObject({ number: 1, seq: 3, hash: result.head!.hash });
    const page = await (await server.api(org.tokens.auditor, '/v1/audit/checkpoints')).json();
    expect(page.data).toEqual([result.latestCheckpoint]);
    // Within the minute the head is not signed again, and the checkpoint itself verifies.
    expect((await verify(org)).checkpoints).toBe(1);
    expect(await server.services.activity.checkpoint(org.id)).toBeUndefined();
  });

  it('names an entry edited in the database', async () => {
    const org = await orgWithEntries(5);
    await server.db.query(
      `UPDATE activity_log SET changes = '{"after":{"approvalThreshold":1000}}' WHERE org_id = $1 AND seq = 3`,
      [org.id],
    );
    expect((await verify(org)).broken).toMatchObject({
      seq: 3,
      kind: 'edited',
      message: expect.stringContaining('entry 3'),
    });
  });

  it('names a deleted entry', async () => {
    const org = await orgWithEntries(5);
    await server.db.query('DELETE FROM activity_log WHERE org_id = $1 AND seq = 3', [org.id]);
    const result = await verify(org);
    expect(result).toMatchObject({ ok: false, entries: 2, broken: { seq: 3, kind: 'missing' } });
    expect(result.broken!.message).toContain('entry 3 is missing');
  });

  it('finds an entry rewritten with a recomputed hash from the next one', async () => {
    const org = await orgWithEntries(5);
    const third = (await entryAt(org, 3))!;
    const forged = { ...third, action: 'devices.update' };
    await server.db.query('UPDATE activity_log SET action = $2, hash = $3 WHERE org_id = $1 AND seq = 3', [
      org.id,
      forged.action,
      entryHash(third.prevHash, { orgId: org.id, ...forged }),
    ]);
    expect((await verify(org)).broken).toMatchObject({ seq: 4, kind: 'relinked' });
  });

  it('finds entries cut off the end after a checkpoint', async () => {
    const org = await orgWithEntries(4);
    expect((await verify(org)).latestCheckpoint).toMatchObject({ number: 1, seq: 4 });
    await server.db.query('DELETE FROM activity_log WHERE org_id = $1 AND seq >= 3', [org.id]);
    const result = await verify(org);
    expect(result.broken).toMatchObject({ seq: 3, kind: 'truncated' });
    expect(result.broken!.message).toContain('checkpoint 1 signed entry 4');
  });

  it('finds a chain rewritten consistently after its checkpoint', async () => {
    const org = await orgWithEntries(4);
    await verify(org);
    await rewriteFrom(org, 2, 'devices.retire');
    expect((await verify(org)).broken).toMatchObject({ seq: 4, kind: 'checkpoint_mismatch' });
  });

  it('finds a forged checkpoint signature', async () => {
    const org = await orgWithEntries(2);
    const { latestCheckpoint } = await verify(org);
    const forged = Buffer.from(latestCheckpoint!.signature, 'base64');
    forged[0] = forged[0]! ^ 0xff;
    await server.db.query('UPDATE activity_checkpoints SET signature = $2 WHERE org_id = $1', [
      org.id,
      forged.toString('base64'),
    ]);
    expect((await verify(org)).broken).toMatchObject({ seq: 2, kind: 'checkpoint_signature' });
  });

  it('finds a deleted checkpoint', async () => {
    const org = await orgWithEntries(2);
    const first = (await verify(org)).latestCheckpoint!;
    // The first checkpoint is made a minute older, as the server would have signed it then.
    const { privateKey } = await server.services.orgs.commandSigningKey(org.id);
    const earlier = { ...first, at: new Date(Date.parse(first.at) - 120_000).toISOString() };
    await server.db.query('UPDATE activity_checkpoints SET at = $2, signature = $3 WHERE org_id = $1', [
      org.id,
      earlier.at,
      signCheckpoint(privateKey, { orgId: org.id, ...withoutSignature(earlier) }),
    ]);
    await patchSettings(org, 99);
    expect((await verify(org)).latestCheckpoint).toMatchObject({ number: 2, seq: 3 });
    await server.db.query('DELETE FROM activity_checkpoints WHERE org_id = $1 AND number = 1', [org.id]);
    expect((await verify(org)).broken).toMatchObject({ seq: 3, kind: 'checkpoint_missing' });
  });

  it("checks the caller's earlier head", async () => {
    const org = await orgWithEntries(3);
    const { head } = await verify(org);
    const witness = `?witnessSeq=${head!.seq}&witnessHash=${head!.hash}`;
    expect((await verify(org, witness)).ok).toBe(true);
    expect((await verify(org, `?witnessSeq=9&witnessHash=${head!.hash}`)).broken).toMatchObject({
      seq: 4,
      kind: 'truncated',
    });
    // Rewritten with every hash recomputed and the checkpoints gone: only the witness tells.
    await server.db.query('DELETE FROM activity_checkpoints WHERE org_id = $1', [org.id]);
    await rewriteFrom(org, 2, 'tokens.revoke');
    expect((await verify(org, witness)).broken).toMatchObject({ seq: 3, kind: 'witness_mismatch' });
    const half = await server.api(org.tokens.auditor, '/v1/audit/verify?witnessSeq=2');
    expect(half.status).toBe(400);
  });

  it('signs each org head once when replicas sweep at the same time', async () => {
    const org = await orgWithEntries(2);
    await Promise.all([server.services.activity.checkpointAll(), server.services.activity.checkpointAll()]);
    const page = await (await server.api(org.tokens.auditor, '/v1/audit/checkpoints')).json();
    expect(page.data.map((c: ActivityCheckpoint) => [c.number, c.seq])).toEqual([[1, 2]]);
    expect((await verify(org)).ok).toBe(true);
  });
});

const withoutSignature = ({ signature: _, ...fields }: ActivityCheckpoint) => fields;
