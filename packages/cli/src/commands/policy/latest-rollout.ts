import type { FleetClient, Rollout } from '@fleetops/sdk';
import { CliError } from '../../errors';
import { notFoundAs } from '../../sdk-errors';

/** The newest rollout of `policy`; an error naming the policy when it has none. */
export async function latestRollout(fleet: FleetClient, policy: string): Promise<Rollout> {
  const page = await fleet.rollouts.list(policy, { limit: 1 }).catch(notFoundAs(`policy ${policy}`));
  const rollout = page.data[0];
  if (!rollout) {
    throw new CliError(
      `policy ${policy} has no rollout`,
      undefined,
      `start one with: fleetops policy rollout ${policy} --waves 10%,100%`,
    );
  }
  return rollout;
}
