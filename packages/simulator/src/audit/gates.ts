import type { AuditCategory } from '@fleetops/protocol';

/** From `at` on, the categories both the policy and the user let the device collect. */
interface Gates {
  at: number;
  open: ReadonlySet<AuditCategory>;
}

/**
 * The history of what the device may collect, kept from the oldest time events may still have to
 * be made for: a category's events are made when it uploads, for the times its gates were open.
 */
export class GateHistory {
  private readonly entries: Gates[];

  constructor(at: number, open: ReadonlySet<AuditCategory>) {
    this.entries = [{ at, open }];
  }

  /** The gates change at `at`, which is never before the last change. */
  change(at: number, open: ReadonlySet<AuditCategory>): void {
    const last = this.entries.at(-1)!;
    if (at <= last.at) this.entries[this.entries.length - 1] = { at: last.at, open };
    else this.entries.push({ at, open });
  }

  isOpen(category: AuditCategory): boolean {
    return this.entries.at(-1)!.open.has(category);
  }

  /** The spans of [from, to) during which `category` was collected, in order. */
  openSpans(category: AuditCategory, from: number, to: number): [number, number][] {
    const spans: [number, number][] = [];
    this.entries.forEach((entry, i) => {
      if (!entry.open.has(category)) return;
      const start = Math.max(entry.at, from);
      const end = Math.min(this.entries[i + 1]?.at ?? Number.POSITIVE_INFINITY, to);
      if (start >= end) return;
      const previous = spans.at(-1);
      if (previous && previous[1] === start) previous[1] = end;
      else spans.push([start, end]);
    });
    return spans;
  }

  /** Forgets the changes nothing before `time` will be asked about. */
  forgetBefore(time: number): void {
    let drop = 0;
    while (drop + 1 < this.entries.length && this.entries[drop + 1]!.at <= time) drop++;
    this.entries.splice(0, drop);
  }
}
