import type { EffectivePolicy } from '@fleetops/protocol';
import type { Handler } from '../../command';
import { type Cell, type Column, list } from '../../output/view';
import { notFoundAs } from '../../sdk-errors';
import { requireId } from '../ids';

/** One field of a device's effective policy and the policy version it came from. */
interface PolicyField {
  field: string;
  value: unknown;
  policy: string | null;
  version: number | null;
  failure: string | null;
}

const columns: Column<PolicyField>[] = [
  { key: 'field', header: 'FIELD', value: (f) => f.field },
  {
    key: 'value',
    header: 'VALUE',
    value: (f) => (typeof f.value === 'object' ? JSON.stringify(f.value) : (f.value as Cell)),
  },
  { key: 'policy', header: 'FROM POLICY', value: (f) => f.policy },
  { key: 'version', header: 'VERSION', value: (f) => f.version },
  { key: 'failure', header: 'DEVICE REPORTS', value: (f) => f.failure },
];

/** The fields of the settings, each with its source and what the device reported failing of it. */
function fields(effective: EffectivePolicy): PolicyField[] {
  const failures = new Map(effective.failures.map((f) => [f.path, f.reason]));
  const rows: PolicyField[] = [];
  const add = (field: string, value: unknown, failurePath = field) => {
    const source = effective.sources[field];
    rows.push({
      field,
      value,
      policy: source?.policy ?? null,
      version: source?.version ?? null,
      failure: failures.get(failurePath) ?? null,
    });
  };
  const { applications, ...sections } = effective.settings;
  for (const [section, values] of Object.entries(sections)) {
    for (const [name, value] of Object.entries(values)) add(`${section}.${name}`, value);
  }
  for (const app of applications) {
    const { packageName, ...rule } = app;
    add(`applications.${packageName}`, rule, `applications[${packageName}]`);
  }
  return rows;
}

/** A device's effective policy, field by field, with where each field came from. */
export const handler: Handler<{ id: string }> = async ({ id }, { client, io }) => {
  requireId(id, 'device');
  const effective = await (await client()).devices.policy(id).catch(notFoundAs(`device ${id}`));
  const running =
    effective.appliedHash === null
      ? 'has not reported running a policy'
      : effective.appliedHash === effective.hash
        ? 'runs it'
        : `runs another version (${effective.appliedHash.slice(0, 12)})`;
  io.info(
    `device ${id} (group ${effective.group}): policy ${effective.hash.slice(0, 12)}; the device ${running}`,
  );
  return list(fields(effective), columns, { emptyMessage: 'no policy applies to this device’s group' });
};
