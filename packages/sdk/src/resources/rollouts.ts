import {
  adminRoutes,
  type CreateRolloutRequest,
  FINAL_ROLLOUT_STATUSES,
  type Rollout,
} from '@fleetops/protocol';
import type { PagePromise } from '../core/pagination';
import { APIResource } from '../core/resource';
import type { RouteQuery } from '../core/route-types';
import type { RequestOptions } from '../core/transport';
import { path } from '../internal/path';
import { sleep } from '../internal/sleep';

/** The query of `rollouts.list()`: `limit` and `cursor`. */
export type RolloutListQuery = RouteQuery<typeof adminRoutes.listRollouts>;

/** How `rollouts.watch()` polls. */
export interface RolloutWatchOptions {
  /** Time between two polls, in milliseconds; default 1000. */
  intervalMs?: number;
  /** Stops watching; the loop then rejects with `FleetAbortError`. */
  signal?: AbortSignal;
}

const DEFAULT_POLL_INTERVAL_MS = 1000;

/**
 * Rollouts: a policy's newest version going out to its devices in waves, halted when too many
 * devices fail it. Start one after an apply with `staged: true`.
 */
export class Rollouts extends APIResource {
  /**
   * Starts rolling out the newest version of `policy`; its first wave is released at once.
   * Refused with `FleetConflictError` when that version is already released or the policy has a
   * rollout running, paused or halted. Needs an `admin` token.
   */
  async create(policy: string, body: CreateRolloutRequest, options?: RequestOptions): Promise<Rollout> {
    return this._client.request(
      adminRoutes.createRollout,
      { path: path`/v1/policies/${policy}/rollouts`, body },
      options,
    );
  }

  /** Rollouts of one policy, newest first; iterate the answer to walk every page. */
  list(policy: string, query?: RolloutListQuery, options?: RequestOptions): PagePromise<Rollout> {
    return this._client.requestPage(
      adminRoutes.listRollouts,
      { path: path`/v1/policies/${policy}/rollouts`, query },
      options,
    );
  }

  /** Gets one rollout with its waves. */
  async retrieve(id: string, options?: RequestOptions): Promise<Rollout> {
    return this._client.request(adminRoutes.getRollout, { path: path`/v1/rollouts/${id}` }, options);
  }

  /** Pauses a running rollout: no further wave goes out. Needs an `admin` token. */
  async pause(id: string, options?: RequestOptions): Promise<Rollout> {
    return this._client.request(adminRoutes.pauseRollout, { path: path`/v1/rollouts/${id}/pause` }, options);
  }

  /** Resumes a paused or halted rollout. Needs an `admin` token. */
  async resume(id: string, options?: RequestOptions): Promise<Rollout> {
    return this._client.request(
      adminRoutes.resumeRollout,
      { path: path`/v1/rollouts/${id}/resume` },
      options,
    );
  }

  /** Stops a rollout for good (status `aborted`). Needs an `admin` token. */
  async abort(id: string, options?: RequestOptions): Promise<Rollout> {
    return this._client.request(adminRoutes.abortRollout, { path: path`/v1/rollouts/${id}/abort` }, options);
  }

  /**
   * Rolls a rollout back (status `rolled_back`): devices that got the new version get the
   * previous one again. Needs an `admin` token.
   */
  async rollback(id: string, options?: RequestOptions): Promise<Rollout> {
    return this._client.request(
      adminRoutes.rollbackRollout,
      { path: path`/v1/rollouts/${id}/rollback` },
      options,
    );
  }

  /**
   * Yields the rollout at once, then again each time it changed (status, waves, device counts,
   * next wave time), and ends after yielding it in a final status (completed, aborted,
   * rolled back) or halted. Breaking out of the loop stops the polling.
   *
   * ```ts
   * for await (const rollout of client.rollouts.watch(id)) console.log(rollout.status, rollout.currentWave);
   * ```
   */
  async *watch(id: string, options: RolloutWatchOptions = {}): AsyncGenerator<Rollout, void, undefined> {
    const intervalMs = options.intervalMs ?? DEFAULT_POLL_INTERVAL_MS;
    let previous: Rollout | undefined;
    for (;;) {
      const rollout = await this.retrieve(id, { signal: options.signal });
      if (previous === undefined || hasChanged(previous, rollout)) yield rollout;
      if (FINAL_ROLLOUT_STATUSES.includes(rollout.status) || rollout.status === 'halted') return;
      previous = rollout;
      await sleep(intervalMs, options.signal);
    }
  }
}

/** Whether a watcher would see a difference; `updatedAt` alone does not count. */
function hasChanged(previous: Rollout, next: Rollout): boolean {
  const { updatedAt: _previousAt, ...before } = previous;
  const { updatedAt: _nextAt, ...after } = next;
  return JSON.stringify(before) !== JSON.stringify(after);
}
