import type { DeviceStatus, JobTargets, TargetKey, UnresolvedTarget } from '@fleetops/protocol';
import type { z } from 'zod';
import { ApiError } from '../../errors';
import { parseWhere, selectorSql } from '../../selector-sql';
import type { Queryable } from '../../store/db';

/**
 * The devices a job acts on, as SQL: a subquery of `devices` rows with `line`, the input line
 * that named each one (null for a selector), its parameters numbered after `params`.
 */
export interface TargetSource {
  rows: string;
  unresolved: UnresolvedTarget[];
  selector: string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type Targets = z.output<typeof JobTargets>;
type Ref = { by: TargetKey; value: string; line?: number | undefined };

/** Resolves a job's targets to a subquery of devices; `params[0]` is the org id. */
export async function targetSource(q: Queryable, params: unknown[], targets: Targets): Promise<TargetSource> {
  if ('devices' in targets) {
    const { resolved, unresolved } = await resolveRefs(q, params[0] as string, targets.devices);
    params.push(
      resolved.map((r) => r.deviceId),
      resolved.map((r) => r.line),
    );
    const n = params.length;
    return {
      rows: `(SELECT d.*, t.line FROM unnest($${n - 1}::uuid[], $${n}::int[]) AS t(device_id, line)
        JOIN devices d ON d.id = t.device_id WHERE d.org_id = $1)`,
      unresolved,
      selector: null,
    };
  }
  const active = (condition: string) =>
    `(SELECT *, NULL::int AS line FROM devices WHERE org_id = $1 AND status = 'active' AND ${condition})`;
  if (!('where' in targets)) return { rows: active('true'), unresolved: [], selector: null };
  if (targets.where.trim() === '') {
    throw new ApiError(
      'guard_refused',
      'the selector is empty: to act on every device, send all: true (--all)',
    );
  }
  const selector = parseWhere(targets.where, 'body.targets.where');
  return { rows: active(selectorSql(selector, params)), unresolved: [], selector: targets.where };
}

interface Match {
  ord: number;
  id: string;
  status: DeviceStatus;
}

/**
 * Finds the one device each ref names: an id, or the active device with that serial or IMEI
 * (a retired one when no active device has it). A ref naming no device, several active
 * devices, or a device an earlier ref already named is unresolved, with its line.
 */
async function resolveRefs(q: Queryable, orgId: string, refs: Ref[]) {
  const unresolved: UnresolvedTarget[] = [];
  const problem = (ref: Ref, kind: UnresolvedTarget['problem'], message: string) =>
    unresolved.push({ by: ref.by, value: ref.value, line: ref.line ?? null, problem: kind, message });

  const byKey = (key: TargetKey) => {
    const ords: number[] = [];
    const values: string[] = [];
    refs.forEach((ref, ord) => {
      if (ref.by !== key) return;
      if (key === 'id' && !UUID.test(ref.value)) return;
      ords.push(ord);
      values.push(key === 'id' ? ref.value.toLowerCase() : ref.value);
    });
    return { ords, values };
  };
  const ids = byKey('id');
  const serials = byKey('serial');
  const imeis = byKey('imei');
  const matches = await q.query<Match>(
    `SELECT r.ord, d.id, d.status FROM unnest($2::int[], $3::uuid[]) AS r(ord, value)
       JOIN devices d ON d.org_id = $1 AND d.id = r.value
     UNION ALL
     SELECT r.ord, d.id, d.status FROM unnest($4::int[], $5::text[]) AS r(ord, value)
       JOIN devices d ON d.org_id = $1 AND d.serial = r.value
     UNION ALL
     SELECT r.ord, d.id, d.status FROM unnest($6::int[], $7::text[]) AS r(ord, value)
       JOIN devices d ON d.org_id = $1 AND d.imei = r.value
     ORDER BY 1, 2 DESC`,
    [orgId, ids.ords, ids.values, serials.ords, serials.values, imeis.ords, imeis.values],
  );
  const matchesOf = new Map<number, Match[]>();
  for (const match of matches) {
    const list = matchesOf.get(match.ord) ?? [];
    list.push(match);
    matchesOf.set(match.ord, list);
  }

  const resolved: { deviceId: string; line: number | null }[] = [];
  const claimedBy = new Map<string, Ref>();
  for (const [ord, ref] of refs.entries()) {
    const named = `${ref.by} ${JSON.stringify(ref.value)}${ref.line === undefined ? '' : ` (line ${ref.line})`}`;
    const found = matchesOf.get(ord) ?? [];
    const active = found.filter((m) => m.status === 'active');
    // The newest enrollment when only retired ones have it: ids are time-ordered.
    const device = active[0] ?? found[0];
    const earlier = device && claimedBy.get(device.id);
    if (!device) {
      const what = ref.by === 'id' && !UUID.test(ref.value) ? 'is not a device id' : 'matches no device';
      problem(ref, 'not_found', `${named} ${what}`);
    } else if (active.length > 1) {
      problem(ref, 'ambiguous', `${named} matches ${active.length} active devices: name them by id`);
    } else if (earlier) {
      const first = earlier.line === undefined ? `${earlier.by} ${earlier.value}` : `line ${earlier.line}`;
      problem(ref, 'duplicate', `${named} names the same device as ${first}`);
    } else {
      claimedBy.set(device.id, ref);
      resolved.push({ deviceId: device.id, line: ref.line ?? null });
    }
  }
  return { resolved, unresolved };
}
