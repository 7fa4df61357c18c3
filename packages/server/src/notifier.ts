import { EventEmitter } from 'node:events';
import type { Notifications } from './store/db';

const CHANNEL = 'fleetops_commands';

/** A subscription to one device's wake-ups, taken before looking for its commands. */
export interface Waiter {
  /** Resolves when the device is notified (now or since the subscription), after `ms`, or on abort. */
  wait(ms: number, signal?: AbortSignal): Promise<void>;
  dispose(): void;
}

/**
 * Wakes long-polling devices when a command is queued for them, so that commands arrive
 * within a second instead of at the next check-in. With a shared PostgreSQL the wake-up
 * goes through NOTIFY, so a device polling one replica hears of a command sent to another.
 */
export class CommandNotifier {
  private readonly events = new EventEmitter().setMaxListeners(0);

  constructor(private readonly notifications?: Notifications) {}

  /** Starts hearing wake-ups from other processes; resolves once listening. */
  async start(): Promise<void> {
    await this.notifications?.listen(CHANNEL, (deviceId) => this.events.emit(deviceId));
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
        new Promise<void>((resolve) => {
          if (woken || signal?.aborted) return resolve();
          const done = () => {
            clearTimeout(timer);
            signal?.removeEventListener('abort', done);
            resolve();
          };
          const timer = setTimeout(done, ms);
          wake = done;
          signal?.addEventListener('abort', done, { once: true });
        }),
      dispose: () => this.events.off(deviceId, onNotify),
    };
  }
}
