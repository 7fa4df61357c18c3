import type { ComplianceImpact } from '@fleetops/protocol';
import type { Handler } from '../../command';
import { type Column, list, record } from '../../output/view';
import { write } from '../../output/write';
import { spin } from '../../spinner';
import { explainApplyRefusal } from './applied';
import { plural } from './describe';
import { loadRulesFile } from './rules-file';

type RuleImpact = ComplianceImpact['byRule'][number];

/** One line per rule of the document: the devices it would flag, and each escalation step's reach. */
export const impactColumns: Column<RuleImpact>[] = [
  { key: 'rule', header: 'RULE', value: (r) => r.rule },
  { key: 'severity', header: 'SEVERITY', value: (r) => r.severity },
  { key: 'devices', header: 'DEVICES', value: (r) => r.devices },
  { key: 'newDevices', header: 'NEW', value: (r) => r.newDevices },
  {
    key: 'actions',
    header: 'ESCALATION',
    value: (r) =>
      r.actions.map((step) => `${step.action} ${stepDelay(step.after)}: ${step.devices}`).join(', '),
  },
];

/**
 * What a rules file would flag and do on the live fleet before it is applied: a summary line
 * ("N devices become non-compliant, M would be locked, W wiped") and a line per rule. With
 * `-o json` or `-o yaml`, the whole answer; `-o csv` and `-o ndjson` give the rule lines.
 */
export const handler: Handler<{ file: string }> = async (opts, { client, io }) => {
  const rules = await loadRulesFile(opts.file, io, 'nothing was evaluated');
  const fleet = await client();
  const impact = await spin(io, 'evaluating the rules over the fleet', () =>
    fleet.compliance.impact(rules.document),
  ).catch(explainApplyRefusal(io, rules, 'nothing was evaluated'));
  if (opts.output === 'json' || opts.output === 'yaml') return record(impact, []);
  const lines = describeImpact(impact);
  if (opts.output === 'table') await write(io.stdout, `${lines.join('\n')}\n`);
  else for (const line of lines) io.info(line);
  return list(impact.byRule, impactColumns, { emptyMessage: 'the document has no rules' });
};

/** The headline and the fleet before and after. */
export function describeImpact(impact: ComplianceImpact): string[] {
  return [
    `${plural(impact.becomeNonCompliant, 'device')} ${impact.becomeNonCompliant === 1 ? 'becomes' : 'become'} non-compliant, ${impact.wouldLock} would be locked, ${impact.wouldWipe} wiped`,
    `of ${plural(impact.deviceCount, 'device')}: ${impact.nonCompliantNow} non-compliant now, ${impact.nonCompliantAfter} with these rules`,
  ];
}

/** `at once` for `0s`, else `after 2d`. */
const stepDelay = (after: string) => (/^0[smhdw]$/.test(after) ? 'at once' : `after ${after}`);
