import type { FleetClient, Rollout } from '@fleetops/sdk';
import type { Handler } from '../../command';
import { record } from '../../output/view';
import { latestRollout } from './latest-rollout';
import { rolloutColumns } from './rollout-columns';
import { rolloutLine } from './rollout-progress';

type Action = (fleet: FleetClient, id: string) => Promise<Rollout>;

/** A handler that acts on the newest rollout of the policy NAME and prints the rollout after. */
const onLatest =
  (act: Action): Handler<{ name: string }> =>
  async ({ name }, { client, io }) => {
    const fleet = await client();
    const rollout = await act(fleet, (await latestRollout(fleet, name)).id);
    io.info(rolloutLine(rollout, new Date()));
    return record(rollout, rolloutColumns);
  };

/** `policy rollout pause NAME`: no further wave goes out. */
export const pause = onLatest((fleet, id) => fleet.rollouts.pause(id));
/** `policy rollout resume NAME`: a paused or halted rollout goes on. */
export const resume = onLatest((fleet, id) => fleet.rollouts.resume(id));
/** `policy rollout abort NAME`: stops the rollout for good. */
export const abort = onLatest((fleet, id) => fleet.rollouts.abort(id));
