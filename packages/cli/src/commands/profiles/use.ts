import type { Handler } from '../../command';
import { UsageError } from '../../errors';
import type { NoResult } from '../../output/view';

/** Makes a saved profile the current one. */
export const handler: Handler<{ name: string }> = async ({ name }, { config, io }): Promise<NoResult> => {
  if (!config.get(name)) throw new UsageError(`no profile named "${name}"`, 'see `fleetops profiles ls`');
  config.use(name);
  io.info(`profile "${name}" is now current`);
  return { kind: 'none' };
};
