import type { AuditCategory, AuditEventQuery, DeviceEvent, PageOf } from '@fleetops/protocol';
import type { z } from 'zod';
import { BIGINT_ID, decodeCursor, toPage } from '../../store/cursor';
import type { Db } from '../../store/db';
import { iso } from '../../store/time';
import { eventFilterSql } from './filters';
import { visibleUpTo } from './visible';

/** A row of `device_events e` read with EVENT_COLUMNS. */
export interface EventRow {
  id: string;
  event_id: string;
  device_id: string | null;
  user_id: string | null;
  category: AuditCategory;
  occurred_at: Date;
  received_at: Date;
  anonymized: boolean;
  data: DeviceEvent['data'];
}

/** The columns of an event read from `device_events e`. */
export const EVENT_COLUMNS = `e.id::text AS id, e.event_id, e.device_id, e.user_id, e.category, e.occurred_at,
  e.received_at, e.anonymized_at IS NOT NULL AS anonymized, e.data`;

export const toDeviceEvent = (row: EventRow) =>
  ({
    id: row.id,
    eventId: row.event_id,
    deviceId: row.device_id,
    userId: row.user_id,
    category: row.category,
    occurredAt: iso(row.occurred_at),
    receivedAt: iso(row.received_at),
    anonymized: row.anonymized,
    data: row.data,
  }) as DeviceEvent;

/** One page of the org's events that pass the filters, in id order. */
export async function listEvents(
  db: Db,
  orgId: string,
  query: z.output<typeof AuditEventQuery>,
): Promise<PageOf<DeviceEvent>> {
  const after = decodeCursor(query.cursor, BIGINT_ID);
  const { where, params } = eventFilterSql(orgId, query, after, await visibleUpTo(db, orgId));
  params.push(query.limit + 1);
  const rows = await db.query<EventRow>(
    `SELECT ${EVENT_COLUMNS}
     FROM device_events e WHERE ${where} ORDER BY e.id LIMIT $${params.length}`,
    params,
  );
  return toPage(rows, query.limit, toDeviceEvent);
}
