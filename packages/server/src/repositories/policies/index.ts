import type {
  EffectivePolicy,
  PageOf,
  PageQuery,
  PolicyApplyRequest,
  PolicyApplyResult,
  PolicyDocument,
  PolicyDrift,
  PolicyDriftQuery,
  PolicyPlan,
  PolicyPlanRequest,
  PolicyRevision,
  PolicyRollbackRequest,
  PolicySet,
  PolicyVersion,
} from '@fleetops/protocol';
import type { z } from 'zod';
import { ApiError, notFound } from '../../errors';
import { decodeCursor, toPage } from '../../store/cursor';
import { type Db, one, type Queryable } from '../../store/db';
import { iso } from '../../store/time';
import { type DevicePolicies, reachedKeySql } from './device-policies';
import type { GroupPolicy } from './effective';
import { contentHash } from './fields';
import { planChanges } from './plan';
import {
  byName,
  currentRevision,
  lastAppliedRevision,
  liveVersions,
  type RevisionRow,
  toRevision,
  toVersion,
  type VersionRow,
  versionsAt,
} from './rows';
import { policySetIssues } from './validate';

export type { GroupPolicy } from './effective';

/** Who changes the policy set: the name of their API token. */
export interface PolicyActor {
  name: string;
}

/** How a change to the policy set is recorded. */
interface RevisionInfo {
  source: PolicyRevision['source'];
  author: string;
  message: string | null;
  context: PolicyRevision['context'];
  rolledBackTo: number | null;
  /** Keep devices on the released versions (see {@link PolicyApplyRequest}). */
  staged?: boolean;
}

const NUMBER_CURSOR = /^\d{1,9}$/;

/** Serialises changes to one org's policy set; released at commit. */
const lockPolicySet = (tx: Queryable, orgId: string) =>
  tx.query('SELECT pg_advisory_xact_lock(7412004, hashtext($1))', [orgId]);

const stale = (live: number, base: number) =>
  new ApiError(
    'conflict',
    `the policies changed since the plan: revision ${live} is live, the plan was made on ${base}; plan again`,
    { liveRevision: live, baseRevision: base },
  );

/** Refuses a policy set the schema alone cannot judge (see {@link policySetIssues}) with 422. */
async function validate(
  q: Queryable,
  orgId: string,
  documents: PolicyDocument[],
  kept: PolicyDocument[],
  at?: (index: number) => string,
): Promise<void> {
  const groups = [...new Set(documents.flatMap((document) => document.spec.assignment.groups))];
  const known = await q.query<{ group_name: string }>(
    `SELECT group_name FROM devices WHERE org_id = $1 AND group_name = ANY($2::text[])
     UNION SELECT group_name FROM enrollment_tokens WHERE org_id = $1 AND group_name = ANY($2::text[])`,
    [orgId, groups],
  );
  const issues = policySetIssues(documents, kept, new Set(known.map((row) => row.group_name)), at);
  if (issues.length === 0) return;
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
  throw new ApiError(
    'validation_failed',
    `invalid ${issues[0]!.path}: ${issues[0]!.message}${more}`,
    { issues },
    false,
    422,
  );
}

/** The three-way plan of `documents` against the live set, as `q` sees it now. */
async function planOn(
  q: Queryable,
  orgId: string,
  documents: PolicyDocument[],
  prune: boolean,
  validated: boolean,
): Promise<PolicyPlan> {
  const baseRevision = await currentRevision(q, orgId);
  const lastApplied = await lastAppliedRevision(q, orgId);
  const live = await liveVersions(q, orgId);
  if (validated) {
    const named = new Set(documents.map((document) => document.metadata.name));
    const kept = prune ? [] : live.filter((row) => !named.has(row.name)).map((row) => row.document);
    await validate(q, orgId, documents, kept);
  }
  const applied = lastApplied === null ? [] : await versionsAt(q, orgId, lastApplied);
  const changes = planChanges(
    documents,
    byName(live),
    new Map(applied.map((row) => [row.name, row.document])),
    prune,
  );
  return { baseRevision, lastAppliedRevision: lastApplied, ...changes };
}

/**
 * Makes what `plan` says a new revision: one version per created or updated policy (in one
 * statement), the live set moved to them. Nothing is recorded when the plan changes nothing.
 */
async function record(
  tx: Queryable,
  orgId: string,
  info: RevisionInfo,
  plan: PolicyPlan,
  documents: PolicyDocument[],
): Promise<RevisionRow | null> {
  const named = (action: string) => plan.changes.filter((c) => c.action === action).map((c) => c.name);
  const [created, updated, deleted] = [named('create'), named('update'), named('delete')];
  if (created.length + updated.length + deleted.length === 0) return null;
  const revision = await one<RevisionRow>(
    tx,
    `INSERT INTO policy_revisions (org_id, revision, source, author, message, context, created, updated,
       deleted, rolled_back_to)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING *`,
    [
      orgId,
      plan.baseRevision + 1,
      info.source,
      info.author,
      info.message,
      info.context,
      created,
      updated,
      deleted,
      info.rolledBackTo,
    ],
  );
  const changed = new Set([...created, ...updated]);
  const written = documents.filter((document) => changed.has(document.metadata.name));
  if (written.length > 0) {
    const versions = await tx.query<{ name: string; version: number }>(
      `INSERT INTO policy_versions (org_id, name, version, hash, document, author, message, revision)
       SELECT $1, d.name,
         coalesce((SELECT max(v.version) FROM policy_versions v WHERE v.org_id = $1 AND v.name = d.name), 0) + 1,
         d.hash, d.document::jsonb, $2, $3, $4
       FROM unnest($5::text[], $6::text[], $7::text[]) AS d(name, hash, document)
       RETURNING name, version`,
      [
        orgId,
        info.author,
        info.message,
        revision!.revision,
        written.map((document) => document.metadata.name),
        written.map((document) => contentHash(document)),
        written.map((document) => JSON.stringify(document)),
      ],
    );
    await tx.query(
      `INSERT INTO live_policies (org_id, name, version, released_version)
       SELECT $1, v.name, v.version, CASE WHEN $4 THEN NULL ELSE v.version END
       FROM unnest($2::text[], $3::integer[]) AS v(name, version)
       ON CONFLICT (org_id, name) DO UPDATE SET version = excluded.version,
         released_version = CASE WHEN $4 THEN live_policies.released_version ELSE excluded.version END`,
      [orgId, versions.map((v) => v.name), versions.map((v) => v.version), info.staged ?? false],
    );
  }
  if (deleted.length > 0) {
    await tx.query('DELETE FROM live_policies WHERE org_id = $1 AND name = ANY($2::text[])', [
      orgId,
      deleted,
    ]);
  }
  return revision!;
}

export function createPoliciesRepository(db: Db, devicePolicies: DevicePolicies) {
  /** Runs `fn` on the org's policy set under its lock, after checking it is still at `base`. */
  const change = <T>(orgId: string, base: number | undefined, fn: (tx: Queryable) => Promise<T>) =>
    db.transaction(async (tx) => {
      await lockPolicySet(tx, orgId);
      const live = await currentRevision(tx, orgId);
      if (base !== undefined && live !== base) throw stale(live, base);
      return fn(tx);
    });

  return {
    async set(orgId: string): Promise<PolicySet> {
      return db.transaction(async (tx) => ({
        revision: await currentRevision(tx, orgId),
        policies: (await liveVersions(tx, orgId)).map(toVersion),
      }));
    },

    /** The current version of a live policy. */
    async get(orgId: string, name: string): Promise<PolicyVersion> {
      const [row] = await liveVersions(db, orgId, name);
      if (!row) throw notFound('policy', name);
      return toVersion(row);
    },

    /** Every version of a policy, newest first, including those of a policy deleted since. */
    async versions(orgId: string, name: string, query: PageQuery): Promise<PageOf<PolicyVersion>> {
      const after = decodeCursor(query.cursor, NUMBER_CURSOR);
      const rows = await db.query<VersionRow>(
        `SELECT * FROM policy_versions WHERE org_id = $1 AND name = $2 AND ($3::integer IS NULL OR version < $3)
         ORDER BY version DESC LIMIT $4`,
        [orgId, name, after === undefined ? null : Number(after), query.limit + 1],
      );
      if (rows.length === 0 && after === undefined) throw notFound('policy', name);
      return toPage(rows, query.limit, toVersion, (row) => String(row.version));
    },

    /** Changes of the policy set, newest first. */
    async revisions(orgId: string, query: PageQuery): Promise<PageOf<PolicyRevision>> {
      const after = decodeCursor(query.cursor, NUMBER_CURSOR);
      const rows = await db.query<RevisionRow>(
        `SELECT * FROM policy_revisions WHERE org_id = $1 AND ($2::integer IS NULL OR revision < $2)
         ORDER BY revision DESC LIMIT $3`,
        [orgId, after === undefined ? null : Number(after), query.limit + 1],
      );
      return toPage(rows, query.limit, toRevision, (row) => String(row.revision));
    },

    /** What applying `documents` would do; reads only. */
    plan(orgId: string, request: z.output<typeof PolicyPlanRequest>): Promise<PolicyPlan> {
      return planOn(db, orgId, request.documents, request.prune, true);
    },

    /** Applies documents all-or-nothing, if the set is still at the revision they were planned on. */
    apply(
      orgId: string,
      actor: PolicyActor,
      request: z.output<typeof PolicyApplyRequest>,
    ): Promise<PolicyApplyResult> {
      return change(orgId, request.baseRevision, async (tx) => {
        const plan = await planOn(tx, orgId, request.documents, request.prune, true);
        const info: RevisionInfo = {
          source: 'apply',
          author: actor.name,
          message: request.message ?? null,
          context: request.context ?? null,
          rolledBackTo: null,
          staged: request.staged,
        };
        const revision = await record(tx, orgId, info, plan, request.documents);
        return { revision: revision && toRevision(revision), plan };
      });
    },

    /** Changes one policy outside the policy files: a revision of its own, seen as drift by the next plan. */
    put(orgId: string, actor: PolicyActor, name: string, document: PolicyDocument): Promise<PolicyVersion> {
      if (document.metadata.name !== name) {
        throw new ApiError(
          'validation_failed',
          `invalid body.metadata.name: must be ${name}, as in the path`,
          {
            issues: [{ path: 'body.metadata.name', message: `must be ${name}, as in the path` }],
          },
        );
      }
      return change(orgId, undefined, async (tx) => {
        const live = await liveVersions(tx, orgId);
        const kept = live.filter((row) => row.name !== name).map((row) => row.document);
        await validate(tx, orgId, [document], kept, () => 'body');
        const plan = {
          baseRevision: await currentRevision(tx, orgId),
          lastAppliedRevision: null,
          ...planChanges([document], byName(live), new Map(), false),
        };
        const info: RevisionInfo = {
          source: 'edit',
          author: actor.name,
          message: null,
          context: null,
          rolledBackTo: null,
        };
        await record(tx, orgId, info, plan, [document]);
        return toVersion((await liveVersions(tx, orgId, name))[0]!);
      });
    },

    /** Makes the set what it was right after `toRevision`, as a new revision. */
    rollback(
      orgId: string,
      actor: PolicyActor,
      request: z.output<typeof PolicyRollbackRequest>,
    ): Promise<PolicyApplyResult> {
      return change(orgId, request.baseRevision, async (tx) => {
        if (request.toRevision > (await currentRevision(tx, orgId))) {
          throw notFound('policy revision', String(request.toRevision));
        }
        const documents = (await versionsAt(tx, orgId, request.toRevision)).map((row) => row.document);
        const plan = await planOn(tx, orgId, documents, true, false);
        const info: RevisionInfo = {
          source: 'rollback',
          author: actor.name,
          message: request.message ?? null,
          context: null,
          rolledBackTo: request.toRevision,
        };
        const revision = await record(tx, orgId, info, plan, documents);
        return { revision: revision && toRevision(revision), plan };
      });
    },

    /** What a device of `group` should run (see {@link DevicePolicies}); null when no policy reaches it. */
    async forCheckIn(
      orgId: string,
      deviceId: string,
      group: string,
    ): Promise<Pick<GroupPolicy, 'hash' | 'settings'> | null> {
      const policy = await devicePolicies.forDevice(orgId, deviceId, group);
      return policy ? { hash: policy.hash, settings: policy.settings } : null;
    },

    /**
     * Devices of groups with a policy that do not report running their effective policy, or report
     * fields they could not apply; in id order.
     */
    async drift(orgId: string, query: z.output<typeof PolicyDriftQuery>): Promise<PageOf<PolicyDrift>> {
      const expected = await devicePolicies.expected(orgId);
      const rows = await db.query<{
        id: string;
        serial: string | null;
        group_name: string;
        expected: string;
        applied_policy_hash: string | null;
        policy_failures: PolicyDrift['failures'];
        last_seen_at: Date;
      }>(
        `SELECT d.id, d.serial, d.group_name, g.hash AS expected, d.applied_policy_hash, d.policy_failures,
           d.last_seen_at
         FROM devices d
         JOIN unnest($2::text[], $3::text[], $4::text[]) AS g(group_name, key, hash) ON g.group_name = d.group_name
         WHERE d.org_id = $1 AND d.status = 'active' AND ($5::uuid IS NULL OR d.id > $5)
           AND ($6::text IS NULL OR d.group_name = $6)
           AND g.key = ${reachedKeySql('d.id', '$7', '$8')}
           AND (d.applied_policy_hash IS DISTINCT FROM g.hash OR jsonb_array_length(d.policy_failures) > 0)
         ORDER BY d.id LIMIT $9`,
        [
          orgId,
          expected.groups,
          expected.keys,
          expected.hashes,
          decodeCursor(query.cursor) ?? null,
          query.group ?? null,
          expected.rolloutIds,
          expected.rolloutWaves,
          query.limit + 1,
        ],
      );
      return toPage(rows, query.limit, (row) => ({
        deviceId: row.id,
        serial: row.serial,
        group: row.group_name,
        expectedHash: row.expected,
        appliedHash: row.applied_policy_hash,
        failures: row.policy_failures,
        lastSeenAt: iso(row.last_seen_at),
      }));
    },

    /** A device's effective policy (empty settings when none is assigned), and what it reports running. */
    async forDevice(orgId: string, deviceId: string): Promise<EffectivePolicy> {
      const device = await one<{
        group_name: string;
        applied_policy_hash: string | null;
        policy_failures: EffectivePolicy['failures'];
      }>(
        db,
        'SELECT group_name, applied_policy_hash, policy_failures FROM devices WHERE org_id = $1 AND id = $2',
        [orgId, deviceId],
      );
      if (!device) throw notFound('device', deviceId);
      const policy = await devicePolicies.orNone(orgId, deviceId, device.group_name);
      return {
        deviceId,
        group: device.group_name,
        ...policy,
        appliedHash: device.applied_policy_hash,
        failures: device.policy_failures,
      };
    },
  };
}
export type PoliciesRepository = ReturnType<typeof createPoliciesRepository>;
