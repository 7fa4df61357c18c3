import type { Handler } from '../../command';
import { ExitCode } from '../../errors';
import { list } from '../../output/view';
import { driftColumns } from './columns';

/** Devices not running their group's policy, or failing fields of it; exit 3 when there are any. */
export const handler: Handler<{ group?: string }> = async (opts, { client }) => {
  const drift = await (await client()).policies.drift({ group: opts.group, limit: 1000 }).toArray();
  return list(drift, driftColumns, {
    emptyMessage: 'no drift: every device runs its group policy',
    exitCode: drift.length > 0 ? ExitCode.partialFailure : ExitCode.ok,
  });
};
