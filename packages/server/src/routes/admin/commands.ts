import { adminRoutes } from '@fleetops/protocol';
import { defineRoute } from '../../http/route';
import type { Services } from '../../services';
import { requireRoleFor } from './destructive';

export const commandRoutes = ({ commands, devices, orgs, notifier }: Services) => [
  defineRoute(adminRoutes.sendDeviceCommand, async ({ admin, params, body }) => {
    requireRoleFor(admin, body.type);
    const settings = await orgs.settings(admin.org.id);
    const command = await commands.create(admin.org.id, params.id, body, admin.token.name, settings);
    await notifier.notify(command.deviceId);
    return command;
  }),
  defineRoute(adminRoutes.listDeviceCommands, async ({ admin, params, query }) => {
    await devices.get(admin.org.id, params.id);
    return commands.listForDevice(admin.org.id, params.id, query.limit, query.cursor);
  }),
  defineRoute(adminRoutes.getCommand, ({ admin, params }) => commands.get(admin.org.id, params.id)),
];
