import { Readable } from 'node:stream';
import type { AuditExportQuery, ExportFormat } from '@fleetops/protocol';
import type { z } from 'zod';
import { ApiError } from '../../errors';
import { BIGINT_ID } from '../../store/cursor';
import type { Db, Queryable } from '../../store/db';
import { type EventFilter, eventFilterSql } from './filters';
import { frame } from './frame';
import { redactedDataSql } from './redact';
import { visibleUpTo } from './visible';

/** Rows per query where the store cannot stream one (PGlite). */
export const EXPORT_BATCH_SIZE = 2000;

/** A timestamp as the API writes it (JavaScript's toISOString): 2024-05-01T12:00:00.000Z. */
const isoSql = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * How the database writes one event of `e` as one line of the format, so that the server only
 * passes bytes along: a DeviceEvent as JSON with `id` first, or a CSV row (`data` as quoted JSON).
 */
function lineSql(format: ExportFormat, redact: boolean): { from: string; line: string } {
  const data = redact ? redactedDataSql('e.category', 'e.data') : 'e.data';
  if (format === 'csv') {
    const fields = [
      'e.id::text',
      'e.event_id::text',
      "coalesce(e.device_id::text, '')",
      "coalesce(e.user_id::text, '')",
      'e.category',
      isoSql('e.occurred_at'),
      isoSql('e.received_at'),
      '(e.anonymized_at IS NOT NULL)::text',
      `'"' || replace((${data})::text, '"', '""') || '"'`,
    ];
    return { from: 'device_events e', line: fields.join(` || ',' || `) };
  }
  return {
    from: `device_events e CROSS JOIN LATERAL (SELECT e.id::text AS id, e.event_id AS "eventId",
      e.device_id AS "deviceId", e.user_id AS "userId", e.category, ${isoSql('e.occurred_at')} AS "occurredAt",
      ${isoSql('e.received_at')} AS "receivedAt", e.anonymized_at IS NOT NULL AS anonymized, ${data} AS data) x`,
    line: 'row_to_json(x)::text',
  };
}

/** The lines in keyset batches of one query each; the first is read before the stream is handed out. */
async function batchedLines(
  q: Queryable,
  query: (after: string | undefined) => { sql: string; params: unknown[] },
  after: string | undefined,
): Promise<Readable> {
  const fetch = async (from: string | undefined) => {
    const { sql, params } = query(from);
    return q.query<{ key: string; line: string }>(sql, params);
  };
  let rows = await fetch(after);
  async function* batches() {
    for (;;) {
      if (rows.length === 0) return;
      yield `${rows.map((row) => row.line).join('\n')}\n`;
      if (rows.length < EXPORT_BATCH_SIZE) return;
      rows = await fetch(rows[rows.length - 1]!.key);
    }
  }
  return Readable.from(batches(), { objectMode: false });
}

/**
 * The org's events that pass the filters, after `after`, in id order and in the chosen format,
 * as a stream read at the client's pace: never more than a batch is held in memory.
 */
export async function exportEvents(
  db: Db,
  orgId: string,
  query: z.output<typeof AuditExportQuery>,
): Promise<Readable> {
  if (query.after !== undefined && !BIGINT_ID.test(query.after)) {
    // Nineteen digits pass the protocol's pattern, yet may be past the largest id there can be.
    const message = 'after is the id of the last event received';
    throw new ApiError('validation_failed', `invalid query.after: ${message}`, {
      issues: [{ path: 'query.after', message }],
    });
  }
  const filter: EventFilter = query;
  const { from, line } = lineSql(query.format, query.redact);
  const upTo = await visibleUpTo(db, orgId);
  let lines: Readable;
  if (db.copyLines) {
    const { where, params } = eventFilterSql(orgId, filter, query.after, upTo);
    lines = await db.copyLines(`SELECT ${line} FROM ${from} WHERE ${where} ORDER BY e.id`, params);
  } else {
    lines = await batchedLines(
      db,
      (after) => {
        const { where, params } = eventFilterSql(orgId, filter, after, upTo);
        params.push(EXPORT_BATCH_SIZE);
        return {
          sql: `SELECT e.id::text AS key, ${line} AS line FROM ${from} WHERE ${where}
                ORDER BY e.id LIMIT $${params.length}`,
          params,
        };
      },
      query.after,
    );
  }
  return frame(lines, query.format, query.after !== undefined);
}
