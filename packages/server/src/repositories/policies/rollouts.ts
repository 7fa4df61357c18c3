import type { CreateRolloutRequest, PageOf, PageQuery, Rollout, RolloutStatus } from '@fleetops/protocol';
import type { z } from 'zod';
import { ApiError, notFound } from '../../errors';
import { decodeCursor, toPage } from '../../store/cursor';
import { type Db, one, type Queryable } from '../../store/db';
import { uuidv7 } from '../../store/ids';
import { iso } from '../../store/time';
import type { PolicyActor } from '.';
import { ACTIVE_ROLLOUT_STATUSES, type DevicePolicies, reachedKeySql } from './device-policies';

interface RolloutRow {
  id: string;
  policy: string;
  from_version: number | null;
  to_version: number;
  status: RolloutStatus;
  current_wave: number;
  halt_on_failure_percent: number;
  pause_seconds: number;
  wave_timeout_seconds: number;
  next_wave_at: Date | null;
  halt_reason: string | null;
  created_by: string;
  created_at: Date;
  updated_at: Date;
}

interface WaveRow {
  wave: number;
  size: string;
  released_at: Date | null;
  completed_at: Date | null;
  devices: number;
  applied: number;
  failed: number;
}

/** Transitions an operator may make: the statuses they start from, and the one they lead to. */
const TRANSITIONS = {
  pause: { from: ['running'], to: 'paused' },
  resume: { from: ['paused', 'halted'], to: 'running' },
  abort: { from: ACTIVE_ROLLOUT_STATUSES, to: 'aborted' },
  rollback: { from: ACTIVE_ROLLOUT_STATUSES, to: 'rolled_back' },
} as const satisfies Record<string, { from: readonly RolloutStatus[]; to: RolloutStatus }>;

/**
 * Each wave of a rollout with its devices and, once released, how many of them report running what
 * they should (applied) or report that same version with fields they could not apply (failed).
 */
async function wavesOf(q: Queryable, devicePolicies: DevicePolicies, orgId: string, id: string) {
  const expected = await devicePolicies.expected(orgId);
  return q.query<WaveRow>(
    `SELECT w.wave, w.size, w.released_at, w.completed_at,
       count(s.device_id)::integer AS devices,
       (count(*) FILTER (WHERE w.released_at IS NOT NULL AND s.reported = g.hash AND NOT s.failing))::integer AS applied,
       (count(*) FILTER (WHERE w.released_at IS NOT NULL AND s.reported = g.hash AND s.failing))::integer AS failed
     FROM rollout_waves w
     LEFT JOIN LATERAL (
       SELECT rd.device_id, d.group_name, d.applied_policy_hash AS reported,
         jsonb_array_length(d.policy_failures) > 0 AS failing, ${reachedKeySql('d.id', '$2', '$3')} AS key
       FROM rollout_devices rd JOIN devices d ON d.id = rd.device_id
       WHERE rd.rollout_id = w.rollout_id AND rd.wave = w.wave
     ) s ON true
     LEFT JOIN unnest($4::text[], $5::text[], $6::text[]) AS g(group_name, key, hash)
       ON g.group_name = s.group_name AND g.key = s.key
     WHERE w.rollout_id = $1
     GROUP BY w.wave, w.size, w.released_at, w.completed_at ORDER BY w.wave`,
    [id, expected.rolloutIds, expected.rolloutWaves, expected.groups, expected.keys, expected.hashes],
  );
}

/** Percent of the devices of released waves that reported, which reported failed fields. */
const failureRate = (waves: WaveRow[]) => {
  const applied = waves.reduce((sum, wave) => sum + wave.applied, 0);
  const failed = waves.reduce((sum, wave) => sum + wave.failed, 0);
  return applied + failed === 0 ? 0 : (failed / (applied + failed)) * 100;
};

const toRollout = (row: RolloutRow, waves: WaveRow[]): Rollout => ({
  id: row.id,
  policy: row.policy,
  fromVersion: row.from_version,
  toVersion: row.to_version,
  status: row.status,
  currentWave: row.current_wave,
  waves: waves.map((wave) => ({
    index: wave.wave,
    size: wave.size,
    devices: wave.devices,
    releasedAt: wave.released_at && iso(wave.released_at),
    completedAt: wave.completed_at && iso(wave.completed_at),
    applied: wave.applied,
    failed: wave.failed,
    pending: wave.devices - wave.applied - wave.failed,
  })),
  totalDevices: waves.reduce((sum, wave) => sum + wave.devices, 0),
  failureRate: failureRate(waves),
  haltOnFailurePercent: row.halt_on_failure_percent,
  pauseSeconds: row.pause_seconds,
  waveTimeoutSeconds: row.wave_timeout_seconds,
  nextWaveAt: row.next_wave_at && iso(row.next_wave_at),
  haltReason: row.halt_reason,
  createdBy: row.created_by,
  createdAt: iso(row.created_at),
  updatedAt: iso(row.updated_at),
});

/** Rollouts of policy versions in waves, advanced by {@link advance} on a timer. */
/** How long a sync pushed to a wave's devices may wait for them. */
const SYNC_TTL_SECONDS = 3600;

/**
 * Queues a `sync` for the devices of one wave of a rollout (all of them when `wave` is null), so
 * that they check in and get their policy at once instead of at their next scheduled check-in.
 * Returns the devices to wake.
 */
async function queueSync(tx: Queryable, rolloutId: string, wave: number | null): Promise<string[]> {
  const rows = await tx.query<{ device_id: string }>(
    `INSERT INTO commands (id, org_id, device_id, enrollment_generation, type, params, created_by, expires_at)
     SELECT (left($2::text, 28) || lpad(to_hex(row_number() OVER (ORDER BY d.id)), 8, '0'))::uuid,
       d.org_id, d.id, d.enrollment_generation, 'sync', '{}'::jsonb, $5,
       now() + make_interval(secs => $4)
     FROM rollout_devices r JOIN devices d ON d.id = r.device_id
     WHERE r.rollout_id = $1 AND ($3::int IS NULL OR r.wave = $3) AND d.status = 'active'
     RETURNING device_id`,
    [rolloutId, uuidv7(), wave, SYNC_TTL_SECONDS, `rollout ${rolloutId}`],
  );
  return rows.map((row) => row.device_id);
}

export function createRolloutsRepository(
  db: Db,
  devicePolicies: DevicePolicies,
  /** Wakes long-polling devices that have a command now. */
  wake: (deviceIds: string[]) => Promise<void> = async () => {},
) {
  const find = async (q: Queryable, orgId: string, id: string, lock = false) => {
    const row = await one<RolloutRow>(
      q,
      `SELECT * FROM rollouts WHERE id = $1 AND org_id = $2${lock ? ' FOR UPDATE' : ''}`,
      [id, orgId],
    );
    if (!row) throw notFound('rollout', id);
    return row;
  };

  const get = async (orgId: string, id: string): Promise<Rollout> => {
    const row = await find(db, orgId, id);
    return toRollout(row, await wavesOf(db, devicePolicies, orgId, id));
  };

  /** Moves one running rollout on: halt on failures, close the current wave, release the next or complete. */
  const advanceOne = async (orgId: string, id: string): Promise<void> => {
    const waves = await wavesOf(db, devicePolicies, orgId, id);
    const lastReleased = waves.filter((wave) => wave.released_at !== null).length - 1;
    let synced: string[] = [];
    await db.transaction(async (tx) => {
      // Skipped when another server holds it, or moved it on since the figures were taken.
      const row = await one<RolloutRow & { now: Date }>(
        tx,
        `SELECT *, now() AS now FROM rollouts WHERE id = $1 AND status = 'running' AND current_wave = $2
         FOR UPDATE SKIP LOCKED`,
        [id, lastReleased],
      );
      if (!row) return;
      const released = waves.filter((wave) => wave.released_at !== null);
      const rate = failureRate(released);
      if (rate > row.halt_on_failure_percent) {
        await tx.query(
          `UPDATE rollouts SET status = 'halted', halt_reason = $2, next_wave_at = NULL, updated_at = now()
           WHERE id = $1`,
          [
            id,
            `${rate.toFixed(1)}% of the devices reached report failed fields (limit ${row.halt_on_failure_percent}%)`,
          ],
        );
        return;
      }
      const current = waves[row.current_wave];
      if (current && current.completed_at === null) {
        const reported = current.applied + current.failed === current.devices;
        const timedOut =
          current.released_at!.getTime() + row.wave_timeout_seconds * 1000 <= row.now.getTime();
        if (!reported && !timedOut) return;
        await tx.query('UPDATE rollout_waves SET completed_at = now() WHERE rollout_id = $1 AND wave = $2', [
          id,
          row.current_wave,
        ]);
      }
      if (row.current_wave === waves.length - 1) {
        await tx.query(`UPDATE live_policies SET released_version = $3 WHERE org_id = $1 AND name = $2`, [
          orgId,
          row.policy,
          row.to_version,
        ]);
        await tx.query(
          `UPDATE rollouts SET status = 'completed', next_wave_at = NULL, updated_at = now() WHERE id = $1`,
          [id],
        );
        return;
      }
      if (row.next_wave_at === null && row.pause_seconds > 0) {
        await tx.query(
          `UPDATE rollouts SET next_wave_at = now() + make_interval(secs => $2), updated_at = now() WHERE id = $1`,
          [id, row.pause_seconds],
        );
        return;
      }
      if (row.next_wave_at !== null && row.next_wave_at > row.now) return;
      await tx.query('UPDATE rollout_waves SET released_at = now() WHERE rollout_id = $1 AND wave = $2', [
        id,
        row.current_wave + 1,
      ]);
      await tx.query(
        `UPDATE rollouts SET current_wave = current_wave + 1, next_wave_at = NULL, updated_at = now() WHERE id = $1`,
        [id],
      );
      synced = await queueSync(tx, id, row.current_wave + 1);
    });
    await wake(synced);
  };

  /** Applies an operator's transition, or refuses it with 409 from a status it does not start from. */
  const transition = (orgId: string, id: string, action: keyof typeof TRANSITIONS) =>
    db
      .transaction(async (tx): Promise<string[]> => {
        const row = await find(tx, orgId, id, true);
        const { from, to } = TRANSITIONS[action];
        if (!(from as readonly RolloutStatus[]).includes(row.status)) {
          throw new ApiError('conflict', `rollout ${id} is ${row.status}: it cannot ${action}`, {
            status: row.status,
          });
        }
        await tx.query(
          `UPDATE rollouts SET status = $2, next_wave_at = NULL,
             halt_reason = CASE WHEN $2 = 'running' THEN NULL ELSE halt_reason END, updated_at = now()
           WHERE id = $1`,
          [id, to],
        );
        // Devices going back to the previous version hear of it at once.
        return to === 'aborted' || to === 'rolled_back' ? queueSync(tx, id, null) : [];
      })
      .then(wake)
      .then(() => get(orgId, id));

  return {
    get,

    /**
     * Starts rolling the policy's newest version out: freezes the devices of its groups into waves
     * (in sha256(policy || device id) order) and releases the first wave.
     */
    async create(
      orgId: string,
      actor: PolicyActor,
      policy: string,
      request: z.output<typeof CreateRolloutRequest>,
    ): Promise<Rollout> {
      const sizes = request.waves.at(-1) === '100%' ? request.waves : [...request.waves, '100%'];
      const id = uuidv7();
      const firstWave = await db.transaction(async (tx) => {
        const live = await one<{ version: number; released_version: number | null; groups: string[] }>(
          tx,
          `SELECT l.version, l.released_version,
             ARRAY(SELECT jsonb_array_elements_text(v.document -> 'spec' -> 'assignment' -> 'groups')) AS groups
           FROM live_policies l JOIN policy_versions v ON v.org_id = l.org_id AND v.name = l.name AND v.version = l.version
           WHERE l.org_id = $1 AND l.name = $2 FOR UPDATE OF l`,
          [orgId, policy],
        );
        if (!live) throw notFound('policy', policy);
        if (live.version === live.released_version) {
          throw new ApiError('conflict', `version ${live.version} of ${policy} is already released`);
        }
        const active = await tx.query<{ id: string }>(
          'SELECT id FROM rollouts WHERE org_id = $1 AND policy = $2 AND status = ANY($3::text[])',
          [orgId, policy, ACTIVE_ROLLOUT_STATUSES],
        );
        if (active.length > 0) {
          throw new ApiError(
            'conflict',
            `policy ${policy} already has rollout ${active[0]!.id} in progress`,
            {
              rolloutId: active[0]!.id,
            },
          );
        }
        await tx.query(
          `INSERT INTO rollouts (id, org_id, policy, from_version, to_version, status, current_wave,
             halt_on_failure_percent, pause_seconds, wave_timeout_seconds, created_by)
           VALUES ($1, $2, $3, $4, $5, 'running', 0, $6, $7, $8, $9)`,
          [
            id,
            orgId,
            policy,
            live.released_version,
            live.version,
            request.haltOnFailurePercent,
            request.pauseSeconds,
            request.waveTimeoutSeconds,
            actor.name,
          ],
        );
        await tx.query(
          `INSERT INTO rollout_waves (rollout_id, wave, size, released_at)
           SELECT $1, w.i - 1, w.size, CASE WHEN w.i = 1 THEN now() END
           FROM unnest($2::text[]) WITH ORDINALITY AS w(size, i)`,
          [id, sizes],
        );
        // A percent reaches ceil(total × percent / 100) devices, a count that many; each device
        // goes to the first wave whose reach covers its rank.
        await tx.query(
          `INSERT INTO rollout_devices (rollout_id, device_id, wave, rank)
           SELECT $1, r.id,
             (SELECT min(w.i) - 1 FROM unnest($5::text[]) WITH ORDINALITY AS w(size, i)
              WHERE r.rank <= CASE WHEN right(w.size, 1) = '%' THEN ceil(r.total * rtrim(w.size, '%')::numeric / 100)
                                   ELSE w.size::numeric END),
             r.rank
           FROM (SELECT d.id, row_number() OVER (ORDER BY sha256(convert_to($3 || d.id::text, 'UTF8'))) AS rank,
                   count(*) OVER () AS total
                 FROM devices d WHERE d.org_id = $2 AND d.status = 'active' AND d.group_name = ANY($4::text[])) r`,
          [id, orgId, policy, live.groups, sizes],
        );
        return queueSync(tx, id, 0);
      });
      await wake(firstWave);
      await advanceOne(orgId, id);
      return get(orgId, id);
    },

    /** Rollouts of one policy, newest first. */
    async list(orgId: string, policy: string, query: PageQuery): Promise<PageOf<Rollout>> {
      const after = decodeCursor(query.cursor);
      const rows = await db.query<RolloutRow>(
        `SELECT * FROM rollouts WHERE org_id = $1 AND policy = $2 AND ($3::uuid IS NULL OR id < $3)
         ORDER BY id DESC LIMIT $4`,
        [orgId, policy, after ?? null, query.limit + 1],
      );
      const page = toPage(rows, query.limit, (row) => row);
      const data = await Promise.all(
        page.data.map(async (row) => toRollout(row, await wavesOf(db, devicePolicies, orgId, row.id))),
      );
      return { data, nextCursor: page.nextCursor };
    },

    pause: (orgId: string, id: string) => transition(orgId, id, 'pause'),
    resume: (orgId: string, id: string) => transition(orgId, id, 'resume'),
    /** Ends the rollout: every device of it runs the released (from) version again. */
    abort: (orgId: string, id: string) => transition(orgId, id, 'abort'),
    /** Ends the rollout: devices that got the new version get the previous one again. */
    rollback: (orgId: string, id: string) => transition(orgId, id, 'rollback'),

    /** Advances every running rollout one step; what the rollout ticker calls. */
    async advance(): Promise<void> {
      const running = await db.query<{ id: string; org_id: string }>(
        "SELECT id, org_id FROM rollouts WHERE status = 'running'",
      );
      for (const rollout of running) await advanceOne(rollout.org_id, rollout.id);
    },
  };
}
export type RolloutsRepository = ReturnType<typeof createRolloutsRepository>;
