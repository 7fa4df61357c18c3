import { deviceRoutes as routes } from '@fleetops/protocol';
import { ApiError } from '../../errors';
import { defineRoute } from '../../http/route';
import type { Services } from '../../services';

/** The device API's audit upload: a device's own events, each through the policy and consent gates. */
export const deviceEventRoutes = (svc: Services) => [
  defineRoute(routes.uploadEvents, async ({ device, body }) => {
    if (body.deviceId.toLowerCase() !== device.id) {
      throw new ApiError('forbidden', 'a device uploads its own events only: deviceId must be this device');
    }
    const report = await svc.events.upload(device, body.events);
    if (report.rejected.length > 0) {
      const [first] = report.rejected;
      throw new ApiError(
        'validation_failed',
        `${report.rejected.length} of ${body.events.length} events rejected (the others were processed); ` +
          `events[${first!.index}]: ${first!.message}`,
        report,
        false,
        422,
      );
    }
    return report;
  }),
];
