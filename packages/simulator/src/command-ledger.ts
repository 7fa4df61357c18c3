import type { CommandOutcome } from './commands';

/** What the device knows about a command id. */
export type LedgerEntry = { kind: 'new' } | { kind: 'running' } | { kind: 'done'; outcome: CommandOutcome };

const RUNNING = Symbol('running');

/**
 * The commands a device has executed, so that a command delivered twice (delivery is at least
 * once) is executed once and its stored result reported again. Keeps the most recent `capacity`
 * ids: the server stops redelivering a command once it has its final result.
 */
export class CommandLedger {
  private readonly entries = new Map<string, CommandOutcome | typeof RUNNING>();

  constructor(
    done: Iterable<readonly [string, CommandOutcome]> = [],
    private readonly capacity = 200,
  ) {
    for (const [id, outcome] of done) this.remember(id, outcome);
  }

  lookup(id: string): LedgerEntry {
    const entry = this.entries.get(id);
    if (entry === undefined) return { kind: 'new' };
    if (entry === RUNNING) return { kind: 'running' };
    return { kind: 'done', outcome: entry };
  }

  /** Marks the command as being executed; call before the first await so a redelivery waits. */
  begin(id: string): void {
    this.remember(id, RUNNING);
  }

  finish(id: string, outcome: CommandOutcome): void {
    this.remember(id, outcome);
  }

  /** Drops a command that was not executed (the server refused it), so a later delivery runs it. */
  forget(id: string): void {
    this.entries.delete(id);
  }

  /** Finished commands, oldest first, for the state file. */
  done(): [string, CommandOutcome][] {
    const out: [string, CommandOutcome][] = [];
    for (const [id, entry] of this.entries) if (entry !== RUNNING) out.push([id, entry]);
    return out;
  }

  private remember(id: string, entry: CommandOutcome | typeof RUNNING): void {
    this.entries.delete(id);
    this.entries.set(id, entry);
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
  }
}
