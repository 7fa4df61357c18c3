import type { Handler } from '../command';
import { checkServerUrl, serverOrigin } from '../credentials';
import { UsageError } from '../errors';
import { reportFleetProgress, statsLine } from './fleet-progress';

/** Options of `simulate`. */
export interface SimulateOptions {
  enrollmentToken: string;
  devices: number;
  seed?: number;
  stateFile?: string;
  auditSpeed?: number;
}

/** Runs simulated devices against a server until SIGINT or SIGTERM, with progress lines on stderr. */
export const handler: Handler<SimulateOptions> = async (opts, { io, config, untilStopped }) => {
  const profileName = opts.profile ?? config.currentName();
  const serverUrl = opts.server ?? (profileName === undefined ? undefined : config.get(profileName)?.server);
  if (!serverUrl) throw new UsageError('simulate needs --server URL (or a profile to take it from)');
  checkServerUrl(serverUrl, serverOrigin(opts, profileName));
  const stopped = untilStopped();
  const { startFleet } = await import('@fleetops/simulator');
  const progress = reportFleetProgress(io);
  io.info(`starting ${opts.devices} simulated devices against ${serverUrl}…`);
  const fleet = await startFleet({
    serverUrl,
    enrollmentToken: opts.enrollmentToken,
    devices: opts.devices,
    seed: opts.seed,
    stateFile: opts.stateFile,
    auditSpeed: opts.auditSpeed,
    onEvent: progress.onEvent,
  });
  const unwatch = progress.watch(fleet);
  try {
    const ready = fleet.ready.then(() => {
      io.info(`${statsLine(fleet.stats())}; press Ctrl-C to stop`);
      return stopped;
    });
    io.info(`${await Promise.race([stopped, ready])}: stopping…`);
  } finally {
    unwatch();
    await fleet.stop();
  }
  io.info(statsLine(fleet.stats()));
  return { kind: 'none' };
};
