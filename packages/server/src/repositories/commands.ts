import type { KeyObject } from 'node:crypto';
import type {
  Command,
  CommandResultRequest,
  CommandStatus,
  CommandType,
  DeviceCommand,
  PageOf,
  SendCommandRequest,
} from '@fleetops/protocol';
import { FINAL_COMMAND_STATUSES, signCommand } from '@fleetops/protocol';
import type { z } from 'zod';
import { ApiError, notFound } from '../errors';
import { decodeCursor, toPage } from '../store/cursor';
import { one, type Queryable } from '../store/db';
import { uuidv7 } from '../store/ids';
import { iso, isoOrNull } from '../store/time';

interface CommandRow {
  id: string;
  device_id: string;
  type: CommandType;
  params: Record<string, unknown>;
  status: CommandStatus;
  error: string | null;
  result: Record<string, unknown> | null;
  created_by: string;
  created_at: Date;
  delivered_at: Date | null;
  acknowledged_at: Date | null;
  completed_at: Date | null;
  expires_at: Date;
}

const isFinal = (status: CommandStatus) => FINAL_COMMAND_STATUSES.includes(status);

const toCommand = (row: CommandRow): Command => ({
  id: row.id,
  deviceId: row.device_id,
  type: row.type,
  params: row.params,
  status: row.status,
  error: row.error,
  result: row.result,
  createdBy: row.created_by,
  createdAt: iso(row.created_at),
  deliveredAt: isoOrNull(row.delivered_at),
  acknowledgedAt: isoOrNull(row.acknowledged_at),
  completedAt: isoOrNull(row.completed_at),
  expiresAt: iso(row.expires_at),
});

/** The command as its device receives it, signed by the org for that device. */
function toDeviceCommand(row: CommandRow, device: CommandRecipient, signingKey: KeyObject): DeviceCommand {
  const command = {
    id: row.id,
    type: row.type,
    params: row.params,
    issuedAt: iso(row.created_at),
    expiresAt: iso(row.expires_at),
  };
  return { ...command, signature: signCommand(signingKey, device.id, device.orgId, command) };
}

/** The device commands are delivered to. */
export interface CommandRecipient {
  id: string;
  orgId: string;
}

/**
 * A command delivered but not finished within this long is delivered again: delivery is
 * at least once, and the device recognises a command id it has already run.
 */
export const REDELIVERY_AFTER_SECONDS = 60;

/**
 * Reads a command as it stands now: one past its expiry is expired even before
 * the sweeper has written so.
 */
const SELECT_COMMAND = `SELECT id, device_id, type, params, error, result, created_by, created_at, delivered_at,
  acknowledged_at, completed_at, expires_at,
  CASE WHEN status IN ('queued', 'delivered', 'acknowledged') AND expires_at <= now() THEN 'expired'
       ELSE status END AS status
  FROM commands`;

/** Which statuses a device report may move a command from. */
const REPORTABLE_FROM: Record<z.output<typeof CommandResultRequest>['status'], CommandStatus[]> = {
  acknowledged: ['queued', 'delivered'],
  succeeded: ['queued', 'delivered', 'acknowledged'],
  failed: ['queued', 'delivered', 'acknowledged'],
};

export function createCommandsRepository(db: Queryable) {
  return {
    async create(
      orgId: string,
      deviceId: string,
      request: z.output<typeof SendCommandRequest>,
      createdBy: string,
    ): Promise<Command> {
      const row = await one<CommandRow>(
        db,
        `INSERT INTO commands (id, org_id, device_id, type, params, created_by, expires_at)
         SELECT $1, org_id, id, $3, $4, $5, now() + make_interval(secs => $6)
         FROM devices WHERE org_id = $7 AND id = $2 AND status = 'active'
         RETURNING *`,
        [uuidv7(), deviceId, request.type, request.params, createdBy, request.ttlSeconds, orgId],
      );
      if (row) return toCommand(row);
      const device = await one<{ status: string }>(
        db,
        'SELECT status FROM devices WHERE org_id = $1 AND id = $2',
        [orgId, deviceId],
      );
      if (!device) throw notFound('device', deviceId);
      throw new ApiError('conflict', `device ${deviceId} is retired: it takes no more commands`);
    },

    async get(orgId: string, id: string): Promise<Command> {
      const row = await one<CommandRow>(db, `${SELECT_COMMAND} WHERE org_id = $1 AND id = $2`, [orgId, id]);
      if (!row) throw notFound('command', id);
      return toCommand(row);
    },

    /** A device's commands, newest first. */
    async listForDevice(
      orgId: string,
      deviceId: string,
      limit: number,
      cursor?: string,
    ): Promise<PageOf<Command>> {
      const rows = await db.query<CommandRow>(
        `${SELECT_COMMAND} WHERE org_id = $1 AND device_id = $2 AND ($3::uuid IS NULL OR id < $3)
         ORDER BY id DESC LIMIT $4`,
        [orgId, deviceId, decodeCursor(cursor) ?? null, limit + 1],
      );
      return toPage(rows, limit, toCommand);
    },

    /** Marks every command past its expiry as expired; returns how many. */
    async expireDue(): Promise<number> {
      const rows = await db.query(
        `UPDATE commands SET status = 'expired', completed_at = now()
         WHERE status IN ('queued', 'delivered', 'acknowledged') AND expires_at <= now() RETURNING id`,
      );
      return rows.length;
    },

    /**
     * Hands the device what it should run now, marking it delivered: queued commands,
     * and unfinished ones whose delivery went unanswered. Expired ones are marked so. Each one
     * is signed with `signingKey`, the private key of the device's org.
     */
    async deliver(device: CommandRecipient, signingKey: KeyObject): Promise<DeviceCommand[]> {
      const deviceId = device.id;
      await db.query(
        `UPDATE commands SET status = 'expired', completed_at = now()
         WHERE device_id = $1 AND status IN ('queued', 'delivered', 'acknowledged') AND expires_at <= now()`,
        [deviceId],
      );
      const rows = await db.query<CommandRow>(
        `UPDATE commands SET status = CASE WHEN status = 'queued' THEN 'delivered' ELSE status END,
           delivered_at = now(), delivery_count = delivery_count + 1
         WHERE id IN (
           SELECT id FROM commands
           WHERE device_id = $1 AND expires_at > now()
             AND (status = 'queued' OR (status IN ('delivered', 'acknowledged')
                  AND delivered_at < now() - make_interval(secs => $2)))
           ORDER BY id LIMIT 100
           FOR UPDATE SKIP LOCKED)
         RETURNING *`,
        [deviceId, REDELIVERY_AFTER_SECONDS],
      );
      return rows
        .sort((a, b) => (a.id < b.id ? -1 : 1))
        .map((row) => toDeviceCommand(row, device, signingKey));
    },

    /**
     * Records what the device reports; returns the command's type when the report changed it.
     * A report for a command already final is a replay: accepted, nothing changes, and
     * undefined is returned.
     */
    async report(
      deviceId: string,
      id: string,
      result: z.output<typeof CommandResultRequest>,
    ): Promise<CommandType | undefined> {
      const updated = await db.query<{ type: CommandType }>(
        `UPDATE commands SET status = $3, error = $4, result = coalesce($6, result),
           acknowledged_at = CASE WHEN $3 = 'acknowledged' THEN now() ELSE acknowledged_at END,
           completed_at = CASE WHEN $3 IN ('succeeded', 'failed') THEN now() ELSE completed_at END
         WHERE device_id = $1 AND id = $2 AND status = ANY($5::text[]) AND expires_at > now() RETURNING type`,
        [
          deviceId,
          id,
          result.status,
          result.error ?? null,
          REPORTABLE_FROM[result.status],
          result.result ?? null,
        ],
      );
      if (updated[0]) return updated[0].type;
      const existing = await one<{ status: CommandStatus; expired: boolean }>(
        db,
        'SELECT status, expires_at <= now() AS expired FROM commands WHERE device_id = $1 AND id = $2',
        [deviceId, id],
      );
      if (!existing) throw notFound('command', id);
      // A command that ran out of time or was called off must not run: the device is told so.
      if (
        existing.status === 'canceled' ||
        existing.status === 'expired' ||
        (existing.expired && !isFinal(existing.status))
      ) {
        const why = existing.status === 'canceled' ? 'was canceled' : 'has expired';
        throw new ApiError('conflict', `command ${id} ${why}: do not execute it`);
      }
      return undefined;
    },
  };
}
export type CommandsRepository = ReturnType<typeof createCommandsRepository>;
