import type { Db } from '../../store/db';
import { effectivePolicies, type GroupPolicy, NO_POLICY } from './effective';
import type { LivePolicy } from './plan';

/** Rollout statuses whose released waves run the new version. */
export const ACTIVE_ROLLOUT_STATUSES = ['running', 'paused', 'halted'] as const;

/** The policy a rollout brings to the devices of its released waves. */
interface ActiveRollout {
  id: string;
  currentWave: number;
  to: LivePolicy;
}

/** One org's policies as devices see them, for one live revision and one state of its rollouts. */
interface OrgPolicies {
  key: string;
  released: LivePolicy[];
  rollouts: ActiveRollout[];
  /** Effective policy by group, per set of rollouts reaching a device (sorted ids joined by `,`; '' none). */
  variants: Map<string, Map<string, GroupPolicy>>;
}

/** Which device-side key a device has: the sorted ids of the active rollouts that reached it. */
export const reachedKeySql = (device: string, ids: string, waves: string) => `(
  SELECT coalesce(string_agg(rd.rollout_id::text, ',' ORDER BY rd.rollout_id), '')
  FROM rollout_devices rd JOIN unnest(${ids}::uuid[], ${waves}::integer[]) AS a(id, wave)
    ON a.id = rd.rollout_id AND rd.wave <= a.wave
  WHERE rd.device_id = ${device})`;

/** Every expected hash of the org as SQL arrays: (group, reached key) → hash, and the active rollouts. */
export interface ExpectedHashes {
  groups: string[];
  keys: string[];
  hashes: string[];
  rolloutIds: string[];
  rolloutWaves: number[];
}

/**
 * What each device should run: the merge of each policy's released version, with P's rollout version
 * for a device in a released wave of an active rollout of P. Cached per org until its live revision or
 * any of its rollouts changes; a check-in then costs one small query, two when a rollout is active.
 */
export function createDevicePolicies(db: Db) {
  const cache = new Map<string, OrgPolicies>();

  const load = async (orgId: string): Promise<OrgPolicies> => {
    const [state] = await db.query<{ key: string }>(
      `SELECT (SELECT coalesce(max(revision), 0) FROM policy_revisions WHERE org_id = $1)::text || '/' ||
         (SELECT count(*) || '/' || coalesce(max(updated_at)::text, '') FROM rollouts WHERE org_id = $1) AS key`,
      [orgId],
    );
    const cached = cache.get(orgId);
    if (cached?.key === state!.key) return cached;
    const released = await db.query<LivePolicy>(
      `SELECT v.name, v.version, v.hash, v.document FROM live_policies l
       JOIN policy_versions v ON v.org_id = l.org_id AND v.name = l.name AND v.version = l.released_version
       WHERE l.org_id = $1 ORDER BY l.name`,
      [orgId],
    );
    const rollouts = await db.query<LivePolicy & { id: string; current_wave: number }>(
      `SELECT r.id, r.current_wave, v.name, v.version, v.hash, v.document FROM rollouts r
       JOIN live_policies l ON l.org_id = r.org_id AND l.name = r.policy
       JOIN policy_versions v ON v.org_id = r.org_id AND v.name = r.policy AND v.version = r.to_version
       WHERE r.org_id = $1 AND r.status = ANY($2::text[]) ORDER BY r.id`,
      [orgId, ACTIVE_ROLLOUT_STATUSES],
    );
    const org: OrgPolicies = {
      key: state!.key,
      released,
      rollouts: rollouts.map(({ id, current_wave, ...to }) => ({ id, currentWave: current_wave, to })),
      variants: new Map([['', effectivePolicies(released)]]),
    };
    cache.set(orgId, org);
    return org;
  };

  /** The effective policies by group of a device reached by the rollouts named in `key`. */
  const variant = (org: OrgPolicies, key: string): Map<string, GroupPolicy> => {
    const known = org.variants.get(key);
    if (known) return known;
    const reached = org.rollouts.filter((rollout) => key.split(',').includes(rollout.id));
    const names = new Set(reached.map((rollout) => rollout.to.name));
    const groups = effectivePolicies([
      ...org.released.filter((policy) => !names.has(policy.name)),
      ...reached.map((rollout) => rollout.to),
    ]);
    org.variants.set(key, groups);
    return groups;
  };

  const rolloutParams = (org: OrgPolicies) => [
    org.rollouts.map((rollout) => rollout.id),
    org.rollouts.map((rollout) => rollout.currentWave),
  ];

  /** What the device should run; null when no policy reaches its group. */
  const forDevice = async (orgId: string, deviceId: string, group: string): Promise<GroupPolicy | null> => {
    const org = await load(orgId);
    let key = '';
    if (org.rollouts.length > 0) {
      const [row] = await db.query<{ key: string }>(`SELECT ${reachedKeySql('$1', '$2', '$3')} AS key`, [
        deviceId,
        ...rolloutParams(org),
      ]);
      key = row!.key;
    }
    return variant(org, key).get(group) ?? null;
  };

  return {
    forDevice,

    /** Like {@link forDevice}, with {@link NO_POLICY} for a device no policy reaches. */
    async orNone(orgId: string, deviceId: string, group: string): Promise<GroupPolicy> {
      return (await forDevice(orgId, deviceId, group)) ?? NO_POLICY;
    },

    /** Every hash a device of the org may be expected to run, for set-based queries (drift, rollouts). */
    async expected(orgId: string): Promise<ExpectedHashes> {
      const org = await load(orgId);
      const [rolloutIds, rolloutWaves] = rolloutParams(org) as [string[], number[]];
      const keys = [''];
      if (org.rollouts.length > 0) {
        const present = await db.query<{ key: string }>(
          `SELECT DISTINCT k.key FROM (SELECT DISTINCT device_id FROM rollout_devices
             WHERE rollout_id = ANY($1::uuid[])) d, LATERAL (SELECT ${reachedKeySql('d.device_id', '$1', '$2')} AS key) k`,
          [rolloutIds, rolloutWaves],
        );
        keys.push(...present.map((row) => row.key).filter((key) => key !== ''));
      }
      const rows = keys.flatMap((key) =>
        [...variant(org, key)].map(([group, policy]) => ({ group, key, hash: policy.hash })),
      );
      return {
        groups: rows.map((row) => row.group),
        keys: rows.map((row) => row.key),
        hashes: rows.map((row) => row.hash),
        rolloutIds,
        rolloutWaves,
      };
    },
  };
}
export type DevicePolicies = ReturnType<typeof createDevicePolicies>;
