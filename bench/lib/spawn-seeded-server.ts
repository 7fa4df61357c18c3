import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** A seeded server running in a process of its own (see seeded-server.ts). */
export interface SeededServer {
  url: string;
  /** An admin token of the server's org. */
  token: string;
  /** Marks every device unlocked in the store; resolves once done. */
  resetLocks(): Promise<void>;
  /** Stops the server and waits for its process to end. */
  stop(): Promise<void>;
}

/** Starts seeded-server.ts with `devices` devices in the store; resolves once it listens. */
export async function startSeededServer(
  devices: number,
  options: { checkInIntervalSeconds?: number } = {},
): Promise<SeededServer> {
  const script = fileURLToPath(new URL('./seeded-server.ts', import.meta.url));
  const args = [script, String(devices)];
  if (options.checkInIntervalSeconds)
    args.push('--check-in-interval', String(options.checkInIntervalSeconds));
  const child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = once(child, 'exit');
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const first = await lines.next();
  if (first.done) throw new Error('the seeded server exited before listening');
  const { url, token } = JSON.parse(first.value) as { url: string; token: string };
  return {
    url,
    token,
    async resetLocks() {
      child.stdin!.write('reset-locks\n');
      const answer = await lines.next();
      if (answer.value !== 'ok') throw new Error('the seeded server did not reset the locks');
    },
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
