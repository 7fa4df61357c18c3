import type { AuditEventFilter } from '@fleetops/protocol';
import type { z } from 'zod';

export type EventFilter = z.output<typeof AuditEventFilter>;

/**
 * The WHERE clause over device_events `e` of one org's events that pass `filter`, with its
 * numbered parameters; `after` keeps the events of higher id (the keyset position), `upTo`
 * those of an id up to it (the reader's high-water mark).
 */
export function eventFilterSql(
  orgId: string,
  filter: EventFilter,
  after?: string,
  upTo?: string,
): { where: string; params: unknown[] } {
  const params: unknown[] = [orgId];
  const clauses = ['e.org_id = $1'];
  const add = (clause: (p: string) => string, value: unknown) => {
    params.push(value);
    clauses.push(clause(`$${params.length}`));
  };
  if (filter.category?.length) add((p) => `e.category = ANY(${p}::text[])`, filter.category);
  if (filter.deviceId) add((p) => `e.device_id = ${p}::uuid`, filter.deviceId);
  if (filter.group) {
    add(
      (p) => `e.device_id IN (SELECT id FROM devices WHERE org_id = $1 AND group_name = ${p})`,
      filter.group,
    );
  }
  if (filter.userId) add((p) => `e.user_id = ${p}::uuid`, filter.userId);
  if (filter.since) add((p) => `e.occurred_at >= ${p}::timestamptz`, filter.since);
  if (filter.until) add((p) => `e.occurred_at < ${p}::timestamptz`, filter.until);
  if (after !== undefined) add((p) => `e.id > ${p}::bigint`, after);
  if (upTo !== undefined) add((p) => `e.id <= ${p}::bigint`, upTo);
  return { where: clauses.join(' AND '), params };
}
