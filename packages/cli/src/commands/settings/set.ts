import type { PatchOrgSettingsRequest } from '@fleetops/protocol';
import type { Handler } from '../../command';
import { UsageError } from '../../errors';
import { record } from '../../output/view';
import { parseAssignments } from './assignments';
import { settingsColumns } from './columns';

/** Options of `settings set`: flags with a number or `off`, and KEY=VALUE arguments. */
export interface SetSettingsOptions {
  assignments?: string[];
  approvalThreshold?: number | 'off';
  destructiveBudget?: number | 'off';
}

/** The API's value of a setting: null turns it off. */
const setting = (value: number | 'off' | undefined) => (value === 'off' ? null : value);

/**
 * Changes the org's settings; what is not given stays as it is. A retention is changed per
 * category: the others keep theirs.
 */
export const handler: Handler<SetSettingsOptions> = async (opts, { client, io }) => {
  const changes = parseAssignments(opts.assignments ?? []);
  const patch: PatchOrgSettingsRequest = {
    ...changes.patch,
    ...(opts.approvalThreshold !== undefined && { approvalThreshold: setting(opts.approvalThreshold) }),
    ...(opts.destructiveBudget !== undefined && {
      destructiveBudgetPerHour: setting(opts.destructiveBudget),
    }),
  };
  const retentionChanged = Object.keys(changes.retention).length > 0;
  if (Object.keys(patch).length === 0 && !retentionChanged) {
    throw new UsageError(
      'nothing to change',
      'give --approval-threshold N|off, --destructive-budget N|off, or KEY=VALUE such as retention.location=30d',
    );
  }
  const fleet = await client();
  if (retentionChanged) {
    const { retention } = await fleet.settings.retrieve();
    const merged: Record<string, string> = { ...retention };
    for (const [category, value] of Object.entries(changes.retention)) {
      if (value === null) delete merged[category];
      else merged[category] = value;
    }
    patch.retention = merged;
  }
  const settings = await fleet.settings.update(patch);
  io.info('settings saved');
  return record(settings, settingsColumns);
};
