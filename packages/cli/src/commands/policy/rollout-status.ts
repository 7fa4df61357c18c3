import type { Handler } from '../../command';
import { latestRollout } from './latest-rollout';
import { followRollout } from './rollout-follow';

/** Options of `policy rollout status`. */
export interface RolloutStatusOptions {
  name: string;
  timeout: string;
}

/** Follows the newest rollout of a policy until it is final or halted (see {@link followRollout}). */
export const handler: Handler<RolloutStatusOptions> = async (opts, { client, io }) => {
  const fleet = await client();
  return followRollout(fleet, io, await latestRollout(fleet, opts.name), { timeout: opts.timeout });
};
