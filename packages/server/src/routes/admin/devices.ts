import { adminRoutes } from '@fleetops/protocol';
import { defineRoute } from '../../http/route';
import type { Services } from '../../services';

export const deviceRoutes = ({ devices }: Services) => [
  defineRoute(adminRoutes.listDevices, ({ admin, query }) => devices.list(admin.org.id, query)),
  defineRoute(adminRoutes.getDevice, ({ admin, params }) => devices.get(admin.org.id, params.id)),
  defineRoute(adminRoutes.updateDevice, ({ admin, params, body }) =>
    devices.update(admin.org.id, params.id, body),
  ),
  defineRoute(adminRoutes.retireDevice, ({ admin, params }) => devices.retire(admin.org.id, params.id)),
  defineRoute(adminRoutes.listDeviceApps, ({ admin, params, query }) =>
    devices.apps(admin.org.id, params.id, query.limit, query.cursor),
  ),
];
