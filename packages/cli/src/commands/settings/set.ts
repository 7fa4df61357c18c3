import type { Handler } from '../../command';
import { UsageError } from '../../errors';
import { record } from '../../output/view';
import { settingsColumns } from './columns';

/** Options of `settings set`: a number, or `off`. */
export interface SetSettingsOptions {
  approvalThreshold?: number | 'off';
  destructiveBudget?: number | 'off';
}

/** The API's value of a setting: null turns it off. */
const setting = (value: number | 'off' | undefined) => (value === 'off' ? null : value);

/** Changes the org's safety settings; what is not given stays as it is. */
export const handler: Handler<SetSettingsOptions> = async (opts, { client, io }) => {
  if (opts.approvalThreshold === undefined && opts.destructiveBudget === undefined) {
    throw new UsageError(
      'nothing to change',
      'give --approval-threshold N|off, --destructive-budget N|off, or both',
    );
  }
  const settings = await (await client()).settings.update({
    approvalThreshold: setting(opts.approvalThreshold),
    destructiveBudgetPerHour: setting(opts.destructiveBudget),
  });
  io.info('settings saved');
  return record(settings, settingsColumns);
};
