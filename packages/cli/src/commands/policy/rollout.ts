import { parseDuration } from '@fleetops/protocol';
import type { Handler } from '../../command';
import { record } from '../../output/view';
import { notFoundAs } from '../../sdk-errors';
import { spin } from '../../spinner';
import { rolloutColumns } from './rollout-columns';
import { followRollout } from './rollout-follow';
import { checkWaves } from './rollout-waves';

/** Options of `policy rollout`. */
export interface RolloutOptions {
  name: string;
  waves?: string[];
  haltOnFailure?: number;
  pause?: string;
  waveTimeout?: string;
  wait?: boolean;
  timeout: string;
}

/**
 * Starts rolling the newest version of a policy out in waves (the server releases the first at
 * once) and prints the rollout; with `--wait`, follows it like `policy rollout status`.
 */
export const handler: Handler<RolloutOptions> = async (opts, { client, io }) => {
  const waves = checkWaves(opts.waves);
  const fleet = await client();
  const rollout = await spin(io, 'starting the rollout', () =>
    fleet.rollouts.create(opts.name, {
      waves,
      haltOnFailurePercent: opts.haltOnFailure,
      pauseSeconds: opts.pause === undefined ? undefined : parseDuration(opts.pause),
      waveTimeoutSeconds: opts.waveTimeout === undefined ? undefined : parseDuration(opts.waveTimeout),
    }),
  ).catch(notFoundAs(`policy ${opts.name}`));
  if (opts.wait) return followRollout(fleet, io, rollout, { timeout: opts.timeout });
  return record(rollout, rolloutColumns, {
    trailer: `follow it with: fleetops policy rollout status ${opts.name}`,
  });
};
