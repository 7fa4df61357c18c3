import type { PolicyDocumentInput } from '@fleetops/protocol';
import { expect, it } from 'vitest';
import { describeStores, deviceApi, enroll, type TestOrg } from './harness';

/** A policy document assigned to `groups` at `priority`, with `spec` merged in. */
function policy(
  name: string,
  spec: Partial<PolicyDocumentInput['spec']> = {},
  assignment: { groups?: string[]; priority?: number } = {},
): PolicyDocumentInput {
  return {
    apiVersion: 'fleetops.dev/v1',
    kind: 'Policy',
    metadata: { name },
    spec: { assignment: { groups: ['sales'], priority: 10, ...assignment }, ...spec },
  };
}

describeStores('policies', (server) => {
  /** An org whose groups `sales` and `field` exist (they have enrollment tokens). */
  const orgWithGroups = async () => {
    const org = await server.newOrg();
    await org.enrollmentToken({ group: 'sales' });
    await org.enrollmentToken({ group: 'field' });
    return org;
  };
  const post = (org: TestOrg, path: string, body: unknown, role: 'viewer' | 'admin' = 'admin') =>
    server.api(org.tokens[role], path, { method: 'POST', body });
  const get = async (org: TestOrg, path: string) => (await server.api(org.tokens.viewer, path)).json();
  const revisionOf = async (org: TestOrg) => (await get(org, '/v1/policies')).revision as number;
  const plan = async (org: TestOrg, body: unknown) => (await post(org, '/v1/policy-plans', body)).json();
  /** Plans and applies `documents`, expecting the apply to succeed. */
  const apply = async (org: TestOrg, documents: PolicyDocumentInput[], extra: object = {}) => {
    const baseRevision = await revisionOf(org);
    const response = await post(org, '/v1/policy-revisions', { documents, baseRevision, ...extra });
    expect(response.status).toBe(200);
    return response.json();
  };

  it('creates policies by an apply, recorded as revision 1 with its author, message and context', async () => {
    const org = await orgWithGroups();
    const result = await apply(org, [policy('baseline'), policy('field-kit', {}, { groups: ['field'] })], {
      message: 'first policies',
      context: { commit: 'abc123', ciRun: 'https://ci.example/1' },
    });
    expect(result.revision).toMatchObject({
      revision: 1,
      source: 'apply',
      author: 'admin-token',
      message: 'first policies',
      context: { commit: 'abc123', ciRun: 'https://ci.example/1' },
      created: ['baseline', 'field-kit'],
      updated: [],
      deleted: [],
      rolledBackTo: null,
    });
    const set = await get(org, '/v1/policies');
    expect(set.revision).toBe(1);
    expect(set.policies.map((p: { name: string; version: number }) => [p.name, p.version])).toEqual([
      ['baseline', 1],
      ['field-kit', 1],
    ]);
    const revisions = await get(org, '/v1/policy-revisions');
    expect(revisions.data[0]).toMatchObject({ revision: 1, context: { commit: 'abc123' } });
  });

  it('plans creates, field-level updates, unchanged, and deletes only with prune; a viewer plan changes nothing', async () => {
    const org = await orgWithGroups();
    await apply(org, [
      policy('baseline', { restrictions: { cameraDisabled: true } }),
      policy('old', {}, { priority: 20 }),
      policy('steady', {}, { groups: ['field'] }),
    ]);
    const documents = [
      policy('baseline', { restrictions: { cameraDisabled: false, nfcDisabled: true } }),
      policy('steady', {}, { groups: ['field'] }),
      policy('new-one', {}, { groups: ['field'], priority: 5 }),
    ];
    const response = await post(org, '/v1/policy-plans', { documents }, 'viewer');
    expect(response.status).toBe(200);
    const kept = await response.json();
    expect(kept).toMatchObject({
      baseRevision: 1,
      lastAppliedRevision: 1,
      summary: { create: 1, update: 1, delete: 0, unchanged: 1, drifted: 0 },
      notPruned: ['old'],
    });
    expect(kept.changes.find((c: { name: string }) => c.name === 'baseline').fields).toEqual([
      { path: 'spec.restrictions.cameraDisabled', from: true, to: false },
      { path: 'spec.restrictions.nfcDisabled', to: true },
    ]);
    expect(kept.changes.find((c: { name: string }) => c.name === 'new-one').action).toBe('create');

    const pruned = await plan(org, { documents, prune: true });
    expect(pruned.summary.delete).toBe(1);
    expect(pruned.notPruned).toEqual([]);
    expect(pruned.changes.find((c: { name: string }) => c.name === 'old')).toMatchObject({
      action: 'delete',
      fields: expect.arrayContaining([{ path: 'spec.assignment.priority', from: 20 }]),
    });

    expect(await revisionOf(org)).toBe(1);
    expect((await get(org, '/v1/policies')).policies).toHaveLength(3);
  });

  it('refuses an apply planned on an older revision with 409, applying nothing', async () => {
    const org = await orgWithGroups();
    await apply(org, [policy('baseline')]);
    const response = await post(org, '/v1/policy-revisions', {
      documents: [policy('baseline', { restrictions: { smsDisabled: true } })],
      baseRevision: 0,
    });
    expect(response.status).toBe(409);
    const body = await response.json();
    expect(body.error.code).toBe('conflict');
    expect(body.error.message).toContain('revision 1 is live, the plan was made on 0');
    expect((await get(org, '/v1/policies/baseline')).document.spec.restrictions).toBeUndefined();
  });

  it('lets exactly one of two concurrent applies on the same revision win', async () => {
    const org = await orgWithGroups();
    const [a, b] = await Promise.all([
      post(org, '/v1/policy-revisions', { documents: [policy('from-a')], baseRevision: 0 }),
      post(org, '/v1/policy-revisions', { documents: [policy('from-b')], baseRevision: 0 }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const set = await get(org, '/v1/policies');
    expect(set.revision).toBe(1);
    expect(set.policies).toHaveLength(1);
  });

  it('records nothing for an apply that changes nothing', async () => {
    const org = await orgWithGroups();
    await apply(org, [policy('baseline', { restrictions: { cameraDisabled: true } })]);
    const again = await apply(org, [policy('baseline', { restrictions: { cameraDisabled: true } })]);
    expect(again.revision).toBeNull();
    expect(again.plan.summary).toMatchObject({ unchanged: 1, create: 0, update: 0, delete: 0 });
    expect((await get(org, '/v1/policy-revisions')).data).toHaveLength(1);
  });

  it('shows a direct edit as drift in the next plan', async () => {
    const org = await orgWithGroups();
    await apply(org, [policy('baseline', { restrictions: { cameraDisabled: true } })]);
    const edit = await server.api(org.tokens.admin, '/v1/policies/baseline', {
      method: 'PUT',
      body: policy('baseline', { restrictions: { cameraDisabled: false } }),
    });
    expect(edit.status).toBe(200);
    expect(await edit.json()).toMatchObject({ name: 'baseline', version: 2, revision: 2 });
    expect((await get(org, '/v1/policy-revisions')).data[0]).toMatchObject({
      revision: 2,
      source: 'edit',
      updated: ['baseline'],
    });

    const next = await plan(org, {
      documents: [policy('baseline', { restrictions: { cameraDisabled: true } })],
    });
    expect(next.lastAppliedRevision).toBe(1);
    expect(next.summary.drifted).toBe(1);
    expect(next.changes[0]).toMatchObject({
      action: 'update',
      fields: [{ path: 'spec.restrictions.cameraDisabled', from: false, to: true }],
      drift: [{ path: 'spec.restrictions.cameraDisabled', from: true, to: false }],
    });
  });

  it('numbers the versions of each policy, with hash, author and message', async () => {
    const org = await orgWithGroups();
    await apply(org, [policy('baseline'), policy('other', {}, { priority: 1 })], { message: 'one' });
    await apply(org, [policy('baseline', { restrictions: { smsDisabled: true } })], { message: 'two' });
    const versions = await get(org, '/v1/policies/baseline/versions');
    expect(versions.data.map((v: { version: number; message: string }) => [v.version, v.message])).toEqual([
      [2, 'two'],
      [1, 'one'],
    ]);
    expect(versions.data[0]).toMatchObject({ author: 'admin-token', revision: 2 });
    expect(versions.data[0].hash).toMatch(/^[0-9a-f]{64}$/);
    expect(versions.data[0].hash).not.toBe(versions.data[1].hash);
    expect((await get(org, '/v1/policies/other/versions')).data).toHaveLength(1);

    const paged = await get(org, '/v1/policies/baseline/versions?limit=1');
    const rest = await get(org, `/v1/policies/baseline/versions?limit=1&cursor=${paged.nextCursor}`);
    expect([paged.data[0].version, rest.data[0].version, rest.nextCursor]).toEqual([2, 1, null]);
  });

  it('rolls the set back to what it was after an earlier revision, as a new revision', async () => {
    const org = await orgWithGroups();
    await apply(org, [policy('baseline', { restrictions: { cameraDisabled: true } })]);
    await apply(
      org,
      [policy('baseline', { restrictions: { cameraDisabled: false } }), policy('extra', {}, { priority: 3 })],
      {},
    );
    const response = await post(org, '/v1/policy-revisions/rollback', { toRevision: 1, message: 'undo' });
    expect(response.status).toBe(200);
    const result = await response.json();
    expect(result.revision).toMatchObject({
      revision: 3,
      source: 'rollback',
      rolledBackTo: 1,
      updated: ['baseline'],
      deleted: ['extra'],
    });
    const set = await get(org, '/v1/policies');
    expect(set.policies.map((p: { name: string }) => p.name)).toEqual(['baseline']);
    expect(set.policies[0]).toMatchObject({
      version: 3,
      document: { spec: { restrictions: { cameraDisabled: true } } },
    });
  });

  it.each([
    [
      'a name used twice',
      [policy('baseline'), policy('baseline', {}, { priority: 2 })],
      'documents.1.metadata.name',
    ],
    [
      'a group the org does not have',
      [policy('baseline', {}, { groups: ['sales', 'nowhere'] })],
      'documents.0.spec.assignment.groups.1',
    ],
    [
      'two policies of a group at the same priority',
      [policy('a', {}, { groups: ['field'] }), policy('b', {}, { groups: ['sales', 'field'] })],
      'documents.1.spec.assignment.priority',
    ],
  ])('refuses %s with 422 at its document, applying nothing', async (_, documents, path) => {
    const org = await orgWithGroups();
    for (const [endpoint, request] of [
      ['/v1/policy-plans', { documents }],
      ['/v1/policy-revisions', { documents, baseRevision: 0 }],
    ] as const) {
      const response = await post(org, endpoint, request);
      expect(response.status).toBe(422);
      const body = await response.json();
      expect(body.error.code).toBe('validation_failed');
      expect(body.error.details.issues.map((issue: { path: string }) => issue.path)).toEqual([path]);
    }
    expect(await revisionOf(org)).toBe(0);
  });

  it('merges the policies of a group by priority and says where each field came from', async () => {
    const org = await orgWithGroups();
    await apply(org, [
      policy(
        'baseline',
        {
          restrictions: { cameraDisabled: true, smsDisabled: true },
          applications: [
            { packageName: 'com.example.mail', rule: 'required' },
            { packageName: 'com.example.chat', rule: 'allowed' },
          ],
        },
        { groups: ['sales', 'field'], priority: 1 },
      ),
      policy(
        'sales-strict',
        {
          restrictions: { cameraDisabled: false },
          applications: [{ packageName: 'com.example.chat', rule: 'blocked' }],
        },
        { priority: 50 },
      ),
    ]);
    const device = await enroll(server, await org.enrollmentToken({ group: 'sales' }));
    const effective = await get(org, `/v1/devices/${device.deviceId}/policy`);
    expect(effective).toMatchObject({
      deviceId: device.deviceId,
      group: 'sales',
      settings: {
        restrictions: { cameraDisabled: false, smsDisabled: true },
        applications: [
          { packageName: 'com.example.chat', rule: 'blocked' },
          { packageName: 'com.example.mail', rule: 'required' },
        ],
      },
      sources: {
        'restrictions.cameraDisabled': { policy: 'sales-strict', version: 1 },
        'restrictions.smsDisabled': { policy: 'baseline', version: 1 },
        'applications.com.example.chat': { policy: 'sales-strict', version: 1 },
        'applications.com.example.mail': { policy: 'baseline', version: 1 },
      },
      appliedHash: null,
      failures: [],
    });
  });

  it('sends a device its policy at check-in and shows what the device reports running', async () => {
    const org = await orgWithGroups();
    const device = await enroll(server, await org.enrollmentToken({ group: 'sales' }));
    const before = await (await deviceApi(server, device.credential, '/device/v1/checkin', {})).json();
    expect(before.policy).toBeNull();

    await apply(org, [policy('baseline', { restrictions: { nfcDisabled: true } })]);
    const after = await (await deviceApi(server, device.credential, '/device/v1/checkin', {})).json();
    expect(after.policy.settings.restrictions).toEqual({ nfcDisabled: true });
    const effective = await get(org, `/v1/devices/${device.deviceId}/policy`);
    expect(after.policy.hash).toBe(effective.hash);

    const failures = [{ path: 'restrictions.nfcDisabled', reason: 'this device has no NFC' }];
    const reported = await deviceApi(server, device.credential, '/device/v1/checkin', {
      policy: { hash: after.policy.hash, failures },
    });
    expect(reported.status).toBe(200);
    expect(await get(org, `/v1/devices/${device.deviceId}/policy`)).toMatchObject({
      appliedHash: after.policy.hash,
      failures,
    });
  });

  it('lists as drift the devices not running their group policy or failing fields of it', async () => {
    const org = await orgWithGroups();
    const [onPolicy, failing, behind] = await Promise.all(
      [0, 1, 2].map(async () => enroll(server, await org.enrollmentToken({ group: 'sales' }))),
    );
    const other = await enroll(server, await org.enrollmentToken({ group: 'field' }));
    await apply(org, [policy('baseline', { restrictions: { nfcDisabled: true } })]);
    const { policy: given } = await (
      await deviceApi(server, onPolicy!.credential, '/device/v1/checkin', {})
    ).json();
    await deviceApi(server, onPolicy!.credential, '/device/v1/checkin', { policy: { hash: given.hash } });
    const failures = [{ path: 'restrictions.nfcDisabled', reason: 'this device has no NFC' }];
    await deviceApi(server, failing!.credential, '/device/v1/checkin', {
      policy: { hash: given.hash, failures },
    });

    const drift = await get(org, '/v1/policy-drift');
    const byDevice = new Map(drift.data.map((d: { deviceId: string }) => [d.deviceId, d]));
    expect([...byDevice.keys()].sort()).toEqual([failing!.deviceId, behind!.deviceId].sort());
    expect(byDevice.get(failing!.deviceId)).toMatchObject({
      appliedHash: given.hash,
      failures,
      group: 'sales',
    });
    expect(byDevice.get(behind!.deviceId)).toMatchObject({ appliedHash: null, expectedHash: given.hash });
    expect(byDevice.has(other.deviceId)).toBe(false);
    expect((await get(org, '/v1/policy-drift?group=field')).data).toEqual([]);
  });

  it('applies 500 policies in one revision', async () => {
    const org = await orgWithGroups();
    const documents = Array.from({ length: 500 }, (_, i) =>
      policy(`policy-${i}`, { restrictions: { cameraDisabled: i % 2 === 0 } }, { priority: i }),
    );
    const result = await apply(org, documents);
    expect(result.revision.created).toHaveLength(500);
    expect((await get(org, '/v1/policies')).policies).toHaveLength(500);
  });

  it('serves the JSON Schema of policy files without a token', async () => {
    const response = await fetch(`${server.url}/v1/policy-schema.json`);
    expect(response.status).toBe(200);
    expect((await response.json()).$ref).toBe('#/$defs/PolicyDocument');
  });
});
