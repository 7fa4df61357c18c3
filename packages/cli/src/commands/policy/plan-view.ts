import type { FieldChange, PolicyChange, PolicyPlan } from '@fleetops/protocol';
import { printable } from '../../output/printable';

const COLORS = { '+': 32, '~': 33, '-': 31, '!': 35 } as const;

/** Whether applying the plan would change anything. */
export const hasChanges = (plan: PolicyPlan): boolean =>
  plan.summary.create + plan.summary.update + plan.summary.delete > 0;

/**
 * The plan for people, as a diff: `+` create, `~` update with each `path: from → to`, `-` delete,
 * and `!` under an update for each field edited on the server since the last apply that the
 * apply would overwrite. Ends with the summary line.
 */
export function formatPlan(plan: PolicyPlan, color: boolean): string {
  const mark = (sign: keyof typeof COLORS, text: string) =>
    color ? `\x1b[${COLORS[sign]}m${sign} ${text}\x1b[39m` : `${sign} ${text}`;
  const lines: string[] = [];
  for (const change of plan.changes) lines.push(...formatChange(change, mark));
  if (plan.notPruned.length > 0) {
    lines.push(`not in the files, kept (--prune deletes them): ${plan.notPruned.join(', ')}`);
  }
  if (lines.length > 0) lines.push('');
  lines.push(summaryLine(plan));
  return `${printable(lines.join('\n'))}\n`;
}

type Mark = (sign: keyof typeof COLORS, text: string) => string;

function formatChange(change: PolicyChange, mark: Mark): string[] {
  switch (change.action) {
    case 'unchanged':
      return [];
    case 'create':
      return [mark('+', change.name), ...change.fields.map((f) => `    ${f.path}: ${value(f.to)}`)];
    case 'delete':
      return [mark('-', change.name)];
    case 'update':
      return [
        mark('~', change.name),
        ...change.fields.map((f) => `    ${fieldChange(f)}`),
        ...change.drift.map(
          (f) =>
            `  ${mark('!', `${fieldChange(f)}: changed on the server since the last apply, would be overwritten`)}`,
        ),
      ];
  }
}

/** `path: from → to`, with `(unset)` for a field that is absent on one side. */
const fieldChange = (f: FieldChange) => `${f.path}: ${value(f.from)} → ${value(f.to)}`;

const value = (v: unknown) => (v === undefined ? '(unset)' : JSON.stringify(v));

/** `2 to create, 1 to update, 0 to delete, 3 unchanged (1 drifted), at revision 7`. */
export function summaryLine(plan: PolicyPlan): string {
  const { create, update, delete: del, unchanged, drifted } = plan.summary;
  if (!hasChanges(plan))
    return `no changes: the live policies match the files (revision ${plan.baseRevision})`;
  const drift = drifted > 0 ? ` (${drifted} drifted)` : '';
  return `${create} to create, ${update} to update, ${del} to delete, ${unchanged} unchanged${drift}, against revision ${plan.baseRevision}`;
}
