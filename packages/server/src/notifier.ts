import { EventEmitter } from 'node:events';

/**
 * Wakes long-polling devices when a command is queued for them, so that commands
 * arrive within a second instead of at the next check-in.
 */
export class CommandNotifier {
  private readonly events = new EventEmitter().setMaxListeners(0);

  notify(deviceId: string): void {
    this.events.emit(deviceId);
  }

  /** Resolves when `deviceId` is notified, after `ms`, or when `signal` aborts, whichever comes first. */
  wait(deviceId: string, ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.events.off(deviceId, done);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.events.once(deviceId, done);
      signal?.addEventListener('abort', done, { once: true });
    });
  }
}
