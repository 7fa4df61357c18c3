import { adminRoutes } from '@fleetops/protocol';
import { defineRoute } from '../../http/route';
import type { Services } from '../../services';

export const deviceRoutes = ({ db, devices }: Services) => {
  const current = ({ admin, params }: { admin: { org: { id: string } }; params: { id: string } }) =>
    devices.get(admin.org.id, params.id);
  return [
    defineRoute(adminRoutes.listDevices, ({ admin, query }) => devices.list(admin.org.id, query)),
    defineRoute(adminRoutes.getDevice, current),
    // One transaction: a new owner is checked and locked until the device is theirs.
    defineRoute(
      adminRoutes.updateDevice,
      ({ admin, params, body }) => db.transaction((tx) => devices.update(admin.org.id, params.id, body, tx)),
      { before: current },
    ),
    defineRoute(adminRoutes.retireDevice, ({ admin, params }) => devices.retire(admin.org.id, params.id), {
      before: current,
    }),
    defineRoute(adminRoutes.listDeviceApps, ({ admin, params, query }) =>
      devices.apps(admin.org.id, params.id, query.limit, query.cursor),
    ),
  ];
};
