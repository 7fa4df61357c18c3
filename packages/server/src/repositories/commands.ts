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
import { FINAL_COMMAND_STATUSES, signCommand, URGENT_COMMANDS } from '@fleetops/protocol';
import type { z } from 'zod';
import { ApiError, notFound } from '../errors';
import { decodeCursor, toPage } from '../store/cursor';
import { type Db, one } from '../store/db';
import { uuidv7 } from '../store/ids';
import { iso, isoOrNull } from '../store/time';
import { isDestructive, OPEN_STATUSES } from './jobs/eligibility';
import { checkBudget, type SafetySettings } from './jobs/fan-out';

export interface CommandRow {
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
  priority: number;
  enrollment_generation: number;
}

const isFinal = (status: CommandStatus) => FINAL_COMMAND_STATUSES.includes(status);

export const toCommand = (row: CommandRow): Command => ({
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

/** The command as its device receives it, signed by the org for that enrollment of the device. */
function toDeviceCommand(row: CommandRow, device: CommandRecipient, signingKey: KeyObject): DeviceCommand {
  const command = {
    id: row.id,
    type: row.type,
    params: row.params,
    issuedAt: iso(row.created_at),
    expiresAt: iso(row.expires_at),
  };
  const recipient = {
    orgId: device.orgId,
    deviceId: device.id,
    enrollmentGeneration: row.enrollment_generation,
  };
  return { ...command, signature: signCommand(signingKey, recipient, command) };
}

/** The device commands are delivered to: one enrollment of it. */
export interface CommandRecipient {
  id: string;
  orgId: string;
  enrollmentGeneration: number;
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
export const SELECT_COMMAND = `SELECT id, device_id, type, params, error, result, created_by, created_at, delivered_at,
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

export function createCommandsRepository(db: Db) {
  return {
    /**
     * Sends one command to one device. A wipe of a personally owned device, or a second
     * destructive command while one is pending, is refused; destructive ones count against the
     * org's hourly budget.
     */
    async create(
      orgId: string,
      deviceId: string,
      request: z.output<typeof SendCommandRequest>,
      createdBy: string,
      settings: SafetySettings,
    ): Promise<Command> {
      return db.transaction(async (tx) => {
        const destructive = isDestructive(request.type);
        if (destructive) await tx.query('SELECT pg_advisory_xact_lock(7412002, hashtext($1))', [orgId]);
        const device = await one<{ status: string; mode: string; pending: string | null }>(
          tx,
          `SELECT status, mode, (SELECT coalesce('job ' || job_id::text, 'command ' || id::text) FROM commands
             WHERE device_id = d.id AND type IN ('wipe', 'retire') AND status IN ${OPEN_STATUSES} LIMIT 1) AS pending
           FROM devices d WHERE org_id = $1 AND id = $2`,
          [orgId, deviceId],
        );
        if (!device) throw notFound('device', deviceId);
        if (device.status !== 'active') {
          throw new ApiError('conflict', `device ${deviceId} is retired: it takes no more commands`);
        }
        if (request.type === 'wipe' && device.mode === 'BYOD') {
          throw new ApiError(
            'conflict',
            `device ${deviceId} is personally owned (BYOD): wipe is refused; retire removes company data and management instead`,
          );
        }
        if (destructive && device.pending) {
          throw new ApiError(
            'conflict',
            `device ${deviceId} already has a destructive command pending (${device.pending})`,
          );
        }
        if (destructive) await checkBudget(tx, orgId, settings.destructiveBudgetPerHour, 1);
        const row = await one<CommandRow>(
          tx,
          `INSERT INTO commands (id, org_id, device_id, enrollment_generation, type, params, priority, created_by,
             expires_at)
           SELECT $1, org_id, id, enrollment_generation, $3, $4, $5, $6, now() + make_interval(secs => $7)
           FROM devices WHERE org_id = $8 AND id = $2
           RETURNING *`,
          [
            uuidv7(),
            deviceId,
            request.type,
            request.params,
            URGENT_COMMANDS.includes(request.type) ? 0 : 1,
            createdBy,
            request.ttlSeconds,
            orgId,
          ],
        );
        return toCommand(row!);
      });
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
     * and unfinished ones whose delivery went unanswered; urgent ones (lock, wipe) first. Only
     * commands of this enrollment, of jobs that may run (approved, delay over) and whose earlier
     * command (`after`) succeeded go out. Expired ones are marked so. Each one is signed with
     * `signingKey`, the private key of the device's org. Commands past their expiry are left out
     * (reads show them expired; the sweep writes so).
     */
    async deliver(device: CommandRecipient, signingKey: KeyObject): Promise<DeviceCommand[]> {
      const deviceId = device.id;
      const rows = await db.query<CommandRow>(
        `UPDATE commands SET status = CASE WHEN status = 'queued' THEN 'delivered' ELSE status END,
           delivered_at = now(), delivery_count = delivery_count + 1
         WHERE id IN (
           SELECT id FROM commands c
           WHERE device_id = $1 AND enrollment_generation = $3 AND expires_at > now()
             AND (status = 'queued' OR (status IN ('delivered', 'acknowledged')
                  AND delivered_at < now() - make_interval(secs => $2)))
             AND (job_id IS NULL OR EXISTS (SELECT 1 FROM jobs j WHERE j.id = c.job_id
                  AND (j.status = 'running' OR (j.status = 'scheduled' AND j.not_before <= now()))))
             AND (after_command_id IS NULL OR EXISTS (SELECT 1 FROM commands p
                  WHERE p.id = c.after_command_id AND p.status = 'succeeded'))
           ORDER BY priority, id LIMIT 100
           FOR UPDATE SKIP LOCKED)
         RETURNING *`,
        [deviceId, REDELIVERY_AFTER_SECONDS, device.enrollmentGeneration],
      );
      return rows
        .sort((a, b) => a.priority - b.priority || (a.id < b.id ? -1 : 1))
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
      if (updated[0]) {
        if (result.status === 'failed') {
          // What was to run once this succeeded will not run now.
          await db.query(
            `UPDATE commands SET status = 'canceled', completed_at = now(),
               error = 'the command it waited for (' || $1 || ') failed'
             WHERE after_command_id = $1 AND status = 'queued'`,
            [id],
          );
        }
        return updated[0].type;
      }
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
