import { EventEmitter } from 'node:events';
import type { Notifications } from './store/db';

const CHANNEL = 'fleetops_commands';
const JOB_CHANNEL = 'fleetops_jobs';

/** A subscription to one device's wake-ups, taken before looking for its commands. */
export interface Waiter {
  /**
   * Resolves when the device is notified (now or since the subscription), after `ms`, or on
   * abort: true when it was notified.
   */
  wait(ms: number, signal?: AbortSignal): Promise<boolean>;
  dispose(): void;
}

/**
 * Wakes long-polling devices when a command is queued for them, so that commands arrive
 * within a second instead of at the next check-in. With a shared PostgreSQL the wake-up
 * goes through NOTIFY, so a device polling one replica hears of a command sent to another.
 */
export class CommandNotifier {
  private readonly events = new EventEmitter().setMaxListeners(0);

  constructor(
    private readonly notifications: Notifications | undefined,
    /** The devices a job has commands for; asked only when some device here is waiting. */
    private readonly devicesOfJob: (jobId: string) => Promise<string[]>,
  ) {}

  /** Starts hearing wake-ups from other processes; resolves once listening. */
  async start(): Promise<void> {
    await this.notifications?.listen(CHANNEL, (deviceId) => this.events.emit(deviceId));
    await this.notifications?.listen(JOB_CHANNEL, (jobId) => this.wakeJob(jobId));
  }

  /**
   * Wakes every waiting device a job has a command for, here and on the other replicas: one
   * message per job, however many devices it has.
   */
  async notifyJob(jobId: string): Promise<void> {
    if (this.notifications) await this.notifications.notify(JOB_CHANNEL, jobId);
    else await this.wakeJob(jobId);
  }

  /** Wakes each of these devices, here and on the other replicas. */
  async notifyMany(deviceIds: string[]): Promise<void> {
    for (const deviceId of deviceIds) await this.notify(deviceId);
  }

  private async wakeJob(jobId: string): Promise<void> {
    if (this.events.eventNames().length === 0) return;
    for (const deviceId of await this.devicesOfJob(jobId)) this.events.emit(deviceId);
  }

  async notify(deviceId: string): Promise<void> {
    if (this.notifications) await this.notifications.notify(CHANNEL, deviceId);
    else this.events.emit(deviceId);
  }

  /** Subscribe first, then look for commands, then wait: a command sent in between is not missed. */
  listen(deviceId: string): Waiter {
    let woken = false;
    let wake = () => {
      woken = true;
    };
    const onNotify = () => wake();
    this.events.on(deviceId, onNotify);
    return {
      wait: (ms, signal) =>
        new Promise<boolean>((resolve) => {
          if (woken || signal?.aborted) return resolve(woken);
          const done = () => {
            clearTimeout(timer);
            signal?.removeEventListener('abort', done);
            resolve(woken);
          };
          const timer = setTimeout(done, ms);
          wake = () => {
            woken = true;
            done();
          };
          signal?.addEventListener('abort', done, { once: true });
        }),
      dispose: () => this.events.off(deviceId, onNotify),
    };
  }
}
