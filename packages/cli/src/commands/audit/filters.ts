import { parseDuration } from '@fleetops/protocol';
import type { FleetClient } from '@fleetops/sdk';
import { requireId } from '../ids';
import { resolveUser } from '../users/resolve';
import type { AuditType } from './options';

/** The flags that choose device events, as given. */
export interface EventFilterOptions {
  type?: AuditType[];
  device?: string;
  group?: string;
  user?: string;
  since?: string;
  until?: string;
}

/** The filters of the events API, resolved: times made absolute, a user's e-mail made an id. */
export interface EventFilter {
  category?: AuditType[];
  deviceId?: string;
  group?: string;
  userId?: string;
  since?: string;
  until?: string;
}

/** Resolves the flags against the clock and the server (a user named by e-mail). */
export async function eventFilter(
  fleet: FleetClient,
  opts: EventFilterOptions,
  now: Date,
): Promise<EventFilter> {
  const filter: EventFilter = {};
  if (opts.type) filter.category = opts.type;
  if (opts.device !== undefined) filter.deviceId = requireId(opts.device, 'device');
  if (opts.group !== undefined) filter.group = opts.group;
  if (opts.user !== undefined) filter.userId = (await resolveUser(fleet, opts.user)).id;
  if (opts.since !== undefined) filter.since = pointInTime(opts.since, now);
  if (opts.until !== undefined) filter.until = pointInTime(opts.until, now);
  return filter;
}

/** An RFC 3339 timestamp from what `timeBound` accepted: a duration back from `now`, a date or a timestamp. */
export function pointInTime(text: string, now: Date): string {
  const seconds = parseDuration(text);
  if (seconds !== undefined) return new Date(now.getTime() - seconds * 1000).toISOString();
  return new Date(/^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : text).toISOString();
}
