import type { ActivityCheckpoint, ActivityEntry, ClientContext } from '@fleetops/protocol';
import { iso } from '../../store/time';

/** A row of activity_log as the store returns it (bigint may come back as a string). */
export interface ActivityRow {
  org_id: string;
  seq: string | number;
  at: Date;
  token_id: string;
  token_name: string;
  role: string;
  ip: string | null;
  request_id: string;
  action: string;
  target_type: string | null;
  target_id: string | null;
  changes: ActivityEntry['changes'];
  context: ClientContext | null;
  prev_hash: string;
  hash: string;
}

/** The columns of {@link ActivityRow}, for a SELECT. */
export const ACTIVITY_COLUMNS =
  'org_id, seq, at, token_id, token_name, role, ip, request_id, action, target_type, target_id, changes, context, prev_hash, hash';

/** An activity_log row as the API shows it. */
export function rowToActivityEntry(row: ActivityRow): ActivityEntry {
  return {
    seq: Number(row.seq),
    at: iso(row.at),
    actor: { tokenId: row.token_id, tokenName: row.token_name, role: row.role },
    ip: row.ip,
    requestId: row.request_id,
    action: row.action,
    target:
      row.target_type === null || row.target_id === null
        ? null
        : { type: row.target_type, id: row.target_id },
    changes: row.changes ?? null,
    context: row.context ?? {},
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

export interface CheckpointRow {
  number: number;
  seq: string | number;
  hash: string;
  at: Date;
  signature: string;
}

export const CHECKPOINT_COLUMNS = 'number, seq, hash, at, signature';

export const rowToCheckpoint = (row: CheckpointRow): ActivityCheckpoint => ({
  number: Number(row.number),
  seq: Number(row.seq),
  hash: row.hash,
  at: iso(row.at),
  signature: row.signature,
});
