import { FleetClient } from '@fleetops/sdk';
import { type RunningServer, startServer } from '@fleetops/server';
import { type RunningFleet, startFleet } from '@fleetops/simulator';
import { cliEnv, tempDir } from './helpers';

/** A real server with simulated devices in group `simulated`, and the CLI and SDK set up to reach it. */
export interface SimulatedFleet {
  server: RunningServer;
  fleet: RunningFleet;
  sdk: FleetClient;
  /** The environment that points the CLI at the server, with a config dir of its own. */
  env: NodeJS.ProcessEnv;
  /** A directory of the test's own, removed at close. */
  dir: string;
  close(): Promise<void>;
}

/** Starts the server and `devices` simulated devices, ready once every device has enrolled. */
export async function startSimulatedFleet(name: string, devices = 3): Promise<SimulatedFleet> {
  const server = await startServer({ port: 0, logLevel: 'silent' });
  const configDir = await tempDir(name);
  const env = cliEnv(configDir.path, { FLEETOPS_SERVER: server.url, FLEETOPS_TOKEN: server.adminToken! });
  const sdk = new FleetClient({ baseUrl: server.url, token: server.adminToken! });
  const enrollment = await server.createEnrollmentToken({ group: 'simulated' });
  const fleet = await startFleet({
    serverUrl: server.url,
    enrollmentToken: enrollment.token,
    devices,
    pollWaitSeconds: 5,
  });
  await fleet.ready;
  return {
    server,
    fleet,
    sdk,
    env,
    dir: configDir.path,
    close: async () => {
      await fleet.stop();
      await sdk.close();
      await server.close();
      await configDir.remove();
    },
  };
}
