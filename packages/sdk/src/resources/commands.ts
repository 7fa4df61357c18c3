import {
  adminRoutes,
  type Command,
  FINAL_COMMAND_STATUSES,
  type SendCommandRequest,
} from '@fleetops/protocol';
import { FleetTimeoutError } from '../core/errors';
import { APIResource } from '../core/resource';
import type { RequestOptions } from '../core/transport';
import { path } from '../internal/path';
import { sleep } from '../internal/sleep';

/** How `commands.wait()` polls. */
export interface WaitOptions {
  /** Give up after this long, in milliseconds; default 60000. */
  timeoutMs?: number;
  /** Time between two polls, in milliseconds; default 1000. */
  intervalMs?: number;
  /** Stops waiting; the wait then rejects with `FleetAbortError`. */
  signal?: AbortSignal;
}

const DEFAULT_WAIT_TIMEOUT_MS = 60_000;
const DEFAULT_WAIT_INTERVAL_MS = 1000;

/** Commands sent to devices (lock, ...) and their lifecycle. */
export class Commands extends APIResource {
  /**
   * Sends a command to one device; it is queued until the device checks in. Needs an `operator` token.
   * To send a command to many devices, create a job with `client.jobs.create()`.
   */
  async send(deviceId: string, body: SendCommandRequest, options?: RequestOptions): Promise<Command> {
    return this._client.request(
      adminRoutes.sendDeviceCommand,
      { path: path`/v1/devices/${deviceId}/commands`, body },
      options,
    );
  }

  /** Gets one command and its status. */
  async retrieve(id: string, options?: RequestOptions): Promise<Command> {
    return this._client.request(adminRoutes.getCommand, { path: path`/v1/commands/${id}` }, options);
  }

  /**
   * Polls a command until its status is final (succeeded, failed, expired or canceled) and
   * returns it; rejects with `FleetTimeoutError` when `timeoutMs` passes first.
   */
  async wait(id: string, options: WaitOptions = {}): Promise<Command> {
    const timeoutMs = options.timeoutMs ?? DEFAULT_WAIT_TIMEOUT_MS;
    const intervalMs = options.intervalMs ?? DEFAULT_WAIT_INTERVAL_MS;
    const deadline = Date.now() + timeoutMs;
    for (let polls = 1; ; polls++) {
      const command = await this.retrieve(id, {
        signal: options.signal,
        timeoutMs: Math.min(this._client.timeoutMs, Math.max(1, deadline - Date.now())),
      });
      if (FINAL_COMMAND_STATUSES.includes(command.status)) return command;
      const remaining = deadline - Date.now();
      if (remaining <= 0) {
        throw new FleetTimeoutError(`command ${id} is still ${command.status} after ${timeoutMs} ms`, {
          attempts: polls,
        });
      }
      await sleep(Math.min(intervalMs, remaining), options.signal);
    }
  }
}
