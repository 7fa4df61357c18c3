import type { Handler } from '../../command';
import { CliError, ExitCode, UsageError } from '../../errors';
import { record } from '../../output/view';
import { notFoundAs } from '../../sdk-errors';
import { requireId } from '../ids';
import { deviceColumns } from './columns';

/** Retires a device after confirmation: typed at a terminal, or `--yes` in a script. */
export const handler: Handler<{ id: string; yes?: boolean }> = async ({ id, yes }, { client, io, ask }) => {
  requireId(id, 'device');
  if (!yes) {
    if (io.isNonInteractiveOrCI()) {
      throw new UsageError(`refusing to retire device ${id} without confirmation`, 'pass --yes to confirm');
    }
    const answer = await ask(
      `Retire device ${id}? Its credential stops working at once. Type y or the device id: `,
    );
    if (answer.toLowerCase() !== 'y' && answer !== id)
      throw new CliError(`canceled: device ${id} was not retired`, ExitCode.error);
  }
  const device = await (await client()).devices.retire(id).catch(notFoundAs(`device ${id}`));
  io.info(`retired device ${id}`);
  return record(device, deviceColumns);
};
