import type { KeyObject } from 'node:crypto';
import type { ActivityCheckpoint, ActivityVerifyResult, ChainBreak } from '@fleetops/protocol';
import type { Queryable } from '../../store/db';
import { chainHead } from './append';
import { latestCheckpoint } from './checkpoints';
import { checkpointSignatureValid, entryHash, GENESIS_HASH } from './hash';
import {
  ACTIVITY_COLUMNS,
  type ActivityRow,
  CHECKPOINT_COLUMNS,
  type CheckpointRow,
  rowToActivityEntry,
  rowToCheckpoint,
} from './rows';

/** Rows read per query: the chain is checked in chunks, never held whole in memory. */
const CHUNK = 1000;

/** A head the caller saw before. */
export interface Witness {
  seq: number;
  hash: string;
}

async function* rowsInOrder<Row>(
  q: Queryable,
  sql: string,
  orgId: string,
  last: number,
  keyOf: (row: Row) => number,
): AsyncGenerator<Row> {
  let after = 0;
  for (;;) {
    const rows = await q.query<Row>(sql, [orgId, after, last, CHUNK]);
    yield* rows;
    if (rows.length < CHUNK) return;
    after = keyOf(rows[rows.length - 1]!);
  }
}

const entriesUpTo = (q: Queryable, orgId: string, lastSeq: number) =>
  rowsInOrder<ActivityRow>(
    q,
    `SELECT ${ACTIVITY_COLUMNS} FROM activity_log
     WHERE org_id = $1 AND seq > $2 AND seq <= $3 ORDER BY seq LIMIT $4`,
    orgId,
    lastSeq,
    (row) => Number(row.seq),
  );

const checkpointsUpTo = (q: Queryable, orgId: string, lastNumber: number) =>
  rowsInOrder<CheckpointRow>(
    q,
    `SELECT ${CHECKPOINT_COLUMNS} FROM activity_checkpoints
     WHERE org_id = $1 AND number > $2 AND number <= $3 ORDER BY number LIMIT $4`,
    orgId,
    lastNumber,
    (row) => Number(row.number),
  );

const short = (hash: string) => `${hash.slice(0, 12)}…`;

/**
 * Recomputes an org's chain in seq order, checking each checkpoint when the walk reaches the
 * entry it signed, and stops at the first break. Only what existed when it started is checked:
 * checkpoints first, then the head, so that no checkpoint checked names an entry not yet read.
 */
export async function verifyChain(
  q: Queryable,
  orgId: string,
  publicKey: KeyObject,
  witness?: Witness,
): Promise<ActivityVerifyResult> {
  const latest = await latestCheckpoint(q, orgId);
  const head = await chainHead(q, orgId);
  const result = (entries: number, checkpoints: number, broken: ChainBreak | null): ActivityVerifyResult => ({
    ok: broken === null,
    entries,
    head: head ?? null,
    checkpoints,
    latestCheckpoint: latest ?? null,
    broken,
  });

  const checkpoints = checkpointsUpTo(q, orgId, latest?.number ?? 0);
  const nextCheckpoint = async () => {
    const next = await checkpoints.next();
    return next.done ? undefined : rowToCheckpoint(next.value);
  };
  let checkpoint = await nextCheckpoint();
  let checkedCheckpoints = 0;
  /** Its number follows the previous one's and the org signed it; or the break. */
  const authentic = (cp: ActivityCheckpoint): ChainBreak | undefined => {
    const expected = checkedCheckpoints + 1;
    if (cp.number !== expected) {
      const gone =
        cp.number - expected > 1
          ? `checkpoints ${expected}–${cp.number - 1} were`
          : `checkpoint ${expected} was`;
      return {
        seq: cp.seq,
        kind: 'checkpoint_missing',
        message: `${gone} deleted: the next one left is checkpoint ${cp.number} (entry ${cp.seq})`,
      };
    }
    const { signature, ...fields } = cp;
    if (!checkpointSignatureValid(publicKey, { orgId, ...fields }, signature)) {
      return {
        seq: cp.seq,
        kind: 'checkpoint_signature',
        message: `checkpoint ${cp.number} (entry ${cp.seq}) is not signed by the org key: it was forged or altered`,
      };
    }
    return undefined;
  };

  let prev = { seq: 0, hash: GENESIS_HASH };
  let entries = 0;
  for await (const row of entriesUpTo(q, orgId, head?.seq ?? 0)) {
    const entry = rowToActivityEntry(row);
    if (entry.seq !== prev.seq + 1) {
      const gap =
        entry.seq - prev.seq > 2
          ? `entries ${prev.seq + 1}–${entry.seq - 1} are`
          : `entry ${prev.seq + 1} is`;
      return result(entries, checkedCheckpoints, {
        seq: prev.seq + 1,
        kind: 'missing',
        message: `${gap} missing: the log jumps from ${prev.seq} to ${entry.seq}`,
      });
    }
    if (entryHash(entry.prevHash, { orgId, ...entry }) !== entry.hash) {
      return result(entries, checkedCheckpoints, {
        seq: entry.seq,
        kind: 'edited',
        message: `entry ${entry.seq} was changed after it was written: its content no longer matches its hash`,
      });
    }
    if (entry.prevHash !== prev.hash) {
      return result(entries, checkedCheckpoints, {
        seq: entry.seq,
        kind: 'relinked',
        message: `entry ${entry.seq} does not link to entry ${prev.seq}: entry ${prev.seq} was rewritten or replaced`,
      });
    }
    if (witness?.seq === entry.seq && witness.hash !== entry.hash) {
      return result(entries, checkedCheckpoints, {
        seq: entry.seq,
        kind: 'witness_mismatch',
        message: `entry ${entry.seq} is not the one you saw before (${short(witness.hash)}): the log was rewritten`,
      });
    }
    entries += 1;
    while (checkpoint && checkpoint.seq <= entry.seq) {
      const forged = authentic(checkpoint);
      if (forged) return result(entries, checkedCheckpoints, forged);
      if (checkpoint.seq !== entry.seq || checkpoint.hash !== entry.hash) {
        return result(entries, checkedCheckpoints, {
          seq: checkpoint.seq,
          kind: 'checkpoint_mismatch',
          message: `entry ${checkpoint.seq} is not the one checkpoint ${checkpoint.number} signed at ${checkpoint.at}: the log was rewritten from there on`,
        });
      }
      checkedCheckpoints += 1;
      checkpoint = await nextCheckpoint();
    }
    prev = entry;
  }

  if (checkpoint) {
    const forged = authentic(checkpoint);
    if (forged) return result(entries, checkedCheckpoints, forged);
    return result(entries, checkedCheckpoints, {
      seq: prev.seq + 1,
      kind: 'truncated',
      message: `the log ends at entry ${prev.seq} but checkpoint ${checkpoint.number} signed entry ${checkpoint.seq}: entries were removed from its end`,
    });
  }
  if (witness && witness.seq > prev.seq) {
    return result(entries, checkedCheckpoints, {
      seq: prev.seq + 1,
      kind: 'truncated',
      message: `the log ends at entry ${prev.seq} but you saw entry ${witness.seq} before: entries were removed from its end`,
    });
  }
  return result(entries, checkedCheckpoints, null);
}
