import {
  ComplianceInventory,
  type FieldIssue,
  type ComplianceInventory as Inventory,
  type Severity,
} from '@fleetops/protocol';
import type { InventoryViolation } from '@fleetops/server';
import type { Handler } from '../../command';
import { UsageError } from '../../errors';
import type { IO } from '../../io';
import { type Column, list } from '../../output/view';
import { evidenceSummary } from '../../reports/evidence';
import { plural } from './describe';
import { failWithProblems, parseDocumentFile, readTextFile } from './document-file';
import { failOnExitCode } from './fail-on';
import { type LoadedRules, loadRulesFile, serverRulesProblems } from './rules-file';

/** Options of `compliance test`. */
export interface OfflineTestOptions {
  file: string;
  inventory: string;
  failOn?: Severity;
}

/** One line per device of the inventory and rule it breaks. */
export const offlineViolationColumns: Column<InventoryViolation>[] = [
  { key: 'serial', header: 'DEVICE', value: (v) => v.serial },
  { key: 'rule', header: 'RULE', value: (v) => v.rule },
  { key: 'severity', header: 'SEVERITY', value: (v) => v.severity },
  { key: 'evidence', header: 'EVIDENCE', value: (v) => evidenceSummary(v.evidence) },
  { key: 'deviceId', header: 'ID', value: (v) => v.deviceId },
];

/**
 * Evaluates a rules file against recorded inventory without a server, with the same SQL as a
 * scan (in a database of its own, in memory): one line per device and broken rule, worst first.
 * Exit 4 with `--fail-on` when a violation is at or above that severity.
 */
export const handler: Handler<OfflineTestOptions> = async (opts, { io }) => {
  const rules = await loadRulesFile(opts.file, io, 'nothing was evaluated');
  const inventory = await loadInventory(opts.inventory, io);
  const { evaluateInventory } = await import('@fleetops/server');
  const violations = await evaluateInventory(rules.document, inventory).catch(refusedRules(io, rules));
  io.info(summary(violations, inventory.devices.length));
  return list(violations, offlineViolationColumns, {
    emptyMessage: 'no violation',
    exitCode: failOnExitCode(
      violations.map((v) => v.severity),
      opts.failOn,
    ),
  });
};

/**
 * The inventory file: JSON of `{"devices": [...]}`. One that does not fit is reported problem
 * by problem at its line and column (exit 2).
 */
async function loadInventory(file: string, io: IO): Promise<Inventory> {
  const text = await readTextFile(file);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${file}: not valid JSON: ${(error as Error).message}`);
  }
  if (ComplianceInventory.safeParse(json).success) return json as Inventory;
  // Parsed again with positions only when something is wrong: a large inventory stays quick to read.
  const loaded = parseDocumentFile(file, text, ComplianceInventory, 'inventory');
  if ('problems' in loaded) failWithProblems(io, loaded.problems, 'nothing was evaluated');
  return json as Inventory;
}

/** Rules the engine refuses (its checks beyond the schema), pointed at their place in the file. */
function refusedRules(io: IO, rules: LoadedRules) {
  return (error: unknown): never => {
    const issues = (error as { details?: { issues?: FieldIssue[] } }).details?.issues;
    if (!Array.isArray(issues) || issues.length === 0) throw error;
    failWithProblems(io, serverRulesProblems(rules, issues), 'nothing was evaluated');
  };
}

/** `2 of 5 devices break a rule: 3 violations (critical 1, high 2)`. */
function summary(violations: InventoryViolation[], deviceCount: number): string {
  if (violations.length === 0) return `no violation: all ${plural(deviceCount, 'device')} comply`;
  const devices = new Set(violations.map((v) => v.deviceId)).size;
  const bySeverity = new Map<Severity, number>();
  for (const { severity } of violations) bySeverity.set(severity, (bySeverity.get(severity) ?? 0) + 1);
  const counts = [...bySeverity].map(([severity, n]) => `${severity} ${n}`).join(', ');
  return `${devices} of ${plural(deviceCount, 'device')} break a rule: ${plural(violations.length, 'violation')} (${counts})`;
}
