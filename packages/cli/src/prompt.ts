import { createInterface } from 'node:readline/promises';
import type { IO } from './io';

/** Asks `question` on stderr (stdout stays for results) and returns the trimmed answer. */
export async function ask(io: IO, question: string): Promise<string> {
  const rl = createInterface({ input: io.stdin, output: io.stderr, terminal: io.isInteractive() });
  try {
    return (await rl.question(question)).trim();
  } finally {
    rl.close();
  }
}
