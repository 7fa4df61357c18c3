import type { ApplyRulesResult } from '@fleetops/protocol';
import { FleetBadRequestError, FleetConflictError } from '@fleetops/sdk';
import { CliError } from '../../errors';
import type { IO } from '../../io';
import { type Column, type CommandResult, type OutputFormat, record } from '../../output/view';
import { write } from '../../output/write';
import { failWithProblems } from './document-file';
import { type LoadedRules, serverRulesProblems } from './rules-file';

/** Fields of an apply's outcome, for `-o csv` and the record formats. */
const appliedColumns: Column<ApplyRulesResult>[] = [
  { key: 'revision', header: 'Revision', value: (r) => r.revision },
  { key: 'dryRun', header: 'Dry run', value: (r) => r.dryRun },
  { key: 'added', header: 'Added', value: (r) => r.added.join(' ') },
  { key: 'changed', header: 'Changed', value: (r) => r.changed.join(' ') },
  { key: 'removed', header: 'Removed', value: (r) => r.removed.join(' ') },
  { key: 'unchanged', header: 'Unchanged', value: (r) => r.unchanged.length },
  { key: 'warnings', header: 'Warnings', value: (r) => r.warnings.length },
];

/**
 * What an apply did (or would do): the server's warnings on stderr in every format, then in
 * table format `revision 4: 1 added, 1 changed, 0 removed, 2 unchanged` and a line per rule
 * (`+` added, `~` changed, `-` removed); the result itself in the other formats.
 */
export async function appliedOutcome(
  result: ApplyRulesResult,
  io: IO,
  format: OutputFormat,
): Promise<CommandResult> {
  for (const warning of result.warnings) io.warn(warning);
  if (format !== 'table') return record(result, appliedColumns);
  await write(io.stdout, `${describeApplied(result).join('\n')}\n`);
  return { kind: 'none' };
}

/** The summary line and one line per rule added, changed or removed. */
export function describeApplied(result: ApplyRulesResult): string[] {
  const counts = `${result.added.length} added, ${result.changed.length} changed, ${result.removed.length} removed, ${result.unchanged.length} unchanged`;
  const changes = result.added.length + result.changed.length + result.removed.length;
  const summary = result.dryRun
    ? `dry run: ${changes === 0 ? 'no change' : counts}; nothing was applied`
    : changes === 0
      ? `no change: the rules stay at revision ${result.revision} (${result.unchanged.length} unchanged)`
      : `revision ${result.revision}: ${counts}`;
  return [
    summary,
    ...result.added.map((name) => `+ ${name}`),
    ...result.changed.map((name) => `~ ${name}`),
    ...result.removed.map((name) => `- ${name}`),
  ];
}

/**
 * The server's refusal of a rules document: fields it found wrong are reported at their place
 * in the file (exit 2, with `consequence`); a changed base revision says to get the rules again.
 */
export function explainApplyRefusal(
  io: IO,
  rules: LoadedRules | undefined,
  consequence = 'nothing was applied',
) {
  return (error: unknown): never => {
    if (error instanceof FleetBadRequestError && error.issues.length > 0 && rules) {
      failWithProblems(io, serverRulesProblems(rules, error.issues), consequence);
    }
    if (error instanceof FleetConflictError) {
      throw new CliError(
        error.message,
        undefined,
        'someone applied rules since: get them again (fleetops compliance rules get) and retry',
        error,
      );
    }
    throw error;
  };
}
