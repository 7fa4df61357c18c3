import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** A seeded server running in a process of its own (see seeded-server.ts). */
export interface SeededServer {
  url: string;
  /** An admin token of the server's org. */
  token: string;
  /** The server's process. */
  pid: number;
  /** Marks every device unlocked in the store; resolves once done. */
  resetLocks(): Promise<void>;
  /** The device events in the store, counted by the server's database. */
  countEvents(): Promise<number>;
  /** Milliseconds the store takes to write its last `rows` events again, `batch` per plain INSERT. */
  rawInsertEvents(rows: number, batch: number, concurrency: number): Promise<number>;
  /** Stops the server and waits for its process to end. */
  stop(): Promise<void>;
}

/** Starts seeded-server.ts with `devices` devices in the store; resolves once it listens. */
export async function startSeededServer(
  devices: number,
  options: { checkInIntervalSeconds?: number; dataDir?: string; databaseUrl?: string } = {},
): Promise<SeededServer> {
  const script = fileURLToPath(new URL('./seeded-server.ts', import.meta.url));
  const args = [script, String(devices)];
  if (options.checkInIntervalSeconds)
    args.push('--check-in-interval', String(options.checkInIntervalSeconds));
  if (options.dataDir) args.push('--data-dir', options.dataDir);
  if (options.databaseUrl) args.push('--database-url', options.databaseUrl);
  const child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = once(child, 'exit');
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const first = await lines.next();
  if (first.done) throw new Error('the seeded server exited before listening');
  const { url, token } = JSON.parse(first.value) as { url: string; token: string };
  /** One request line, one answer line: requests go one at a time. */
  const ask = async (request: string): Promise<string> => {
    child.stdin!.write(`${request}\n`);
    const answer = await lines.next();
    if (answer.done) throw new Error(`the seeded server exited before answering ${request}`);
    return answer.value;
  };
  return {
    url,
    token,
    pid: child.pid!,
    async resetLocks() {
      if ((await ask('reset-locks')) !== 'ok') throw new Error('the seeded server did not reset the locks');
    },
    countEvents: async () => Number(await ask('count-events')),
    rawInsertEvents: async (rows, batch, concurrency) =>
      Number(await ask(`raw-insert-events ${rows} ${batch} ${concurrency}`)),
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
