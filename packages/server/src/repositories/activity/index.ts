import { type ActivityQuery, importCommandSigningKey } from '@fleetops/protocol';
import type { z } from 'zod';
import type { Db } from '../../store/db';
import type { OrgsRepository } from '../orgs';
import { type ActivityInput, appendActivity } from './append';
import { listCheckpoints, orgsDueForCheckpoint, writeCheckpoint } from './checkpoints';
import { listActivity } from './list';
import { verifyChain, type Witness } from './verify';

export type { ActivityInput } from './append';
export { ACTIVITY_COLUMNS, type ActivityRow, rowToActivityEntry } from './rows';

/** The tamper-evident admin activity log: one hash chain per org, with signed checkpoints. */
export function createActivityRepository(db: Db, orgs: OrgsRepository) {
  const checkpoint = async (orgId: string) => writeCheckpoint(db, orgId, await orgs.commandSigningKey(orgId));

  return {
    /** Appends an entry; inside the caller's transaction when there is one. */
    append: (orgId: string, input: ActivityInput) => appendActivity(db, orgId, input),

    list: (orgId: string, query: z.output<typeof ActivityQuery>) => listActivity(db, orgId, query),

    checkpoints: (orgId: string, limit: number, cursor?: string) => listCheckpoints(db, orgId, limit, cursor),

    /** Signs the org's head when a checkpoint is due; the checkpoint written, if any. */
    checkpoint,

    /** Writes the checkpoints due in every org (the sweeper); how many were written. */
    async checkpointAll(): Promise<number> {
      let written = 0;
      for (const orgId of await orgsDueForCheckpoint(db)) {
        if (await checkpoint(orgId)) written += 1;
      }
      return written;
    },

    /**
     * Checks the org's chain and checkpoints, and the caller's earlier head when given; a chain
     * that verifies gets a new checkpoint when one is due.
     */
    async verify(orgId: string, witness?: Witness) {
      const keys = await orgs.commandSigningKey(orgId);
      const result = await verifyChain(db, orgId, importCommandSigningKey(keys.publicKey), witness);
      if (!result.ok) return result;
      const written = await checkpoint(orgId);
      return written ? { ...result, latestCheckpoint: written } : result;
    },
  };
}
export type ActivityRepository = ReturnType<typeof createActivityRepository>;
