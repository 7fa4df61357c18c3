import { adminRoutes } from '@fleetops/protocol';
import { defineRoute } from '../../http/route';
import type { Services } from '../../services';

export const commandRoutes = ({ commands, devices, notifier }: Services) => [
  defineRoute(adminRoutes.sendDeviceCommand, async ({ admin, params, body }) => {
    const command = await commands.create(admin.org.id, params.id, body, admin.token.name);
    await notifier.notify(command.deviceId);
    return command;
  }),
  defineRoute(adminRoutes.listDeviceCommands, async ({ admin, params, query }) => {
    await devices.get(admin.org.id, params.id);
    return commands.listForDevice(admin.org.id, params.id, query.limit, query.cursor);
  }),
  defineRoute(adminRoutes.getCommand, ({ admin, params }) => commands.get(admin.org.id, params.id)),
];
