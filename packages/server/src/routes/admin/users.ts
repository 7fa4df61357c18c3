import { adminRoutes } from '@fleetops/protocol';
import { defineRoute } from '../../http/route';
import { ImportUsersBody } from '../../repositories/users';
import type { Services } from '../../services';

/** End users: accounts opened by administrators, disabled at once, offboarded, and their data. */
export const userRoutes = ({ users }: Services) => {
  const current = ({ admin, params }: { admin: { org: { id: string } }; params: { id: string } }) =>
    users.get(admin.org.id, params.id);
  return [
    defineRoute(adminRoutes.listUsers, ({ admin, query }) => users.list(admin.org.id, query)),
    defineRoute(adminRoutes.createUser, ({ admin, body }) => users.create(admin.org.id, body)),
    // Rows are checked one by one so that the issues name the lines of the imported file.
    defineRoute({ ...adminRoutes.importUsers, body: ImportUsersBody }, ({ admin, body }) =>
      users.import(admin.org.id, body.users),
    ),
    defineRoute(adminRoutes.getUser, current),
    defineRoute(adminRoutes.disableUser, ({ admin, params }) => users.disable(admin.org.id, params.id), {
      before: current,
    }),
    defineRoute(adminRoutes.enableUser, ({ admin, params }) => users.enable(admin.org.id, params.id), {
      before: current,
    }),
    defineRoute(
      adminRoutes.offboardUser,
      ({ admin, params, body }) => users.offboard(admin.org.id, params.id, body),
      { before: async (ctx) => ({ user: await current(ctx) }) },
    ),
    defineRoute(adminRoutes.exportUserData, async ({ admin, params, reply }) => {
      const body = await users.exportData(admin.org.id, params.id);
      reply.type('application/json');
      return body;
    }),
  ];
};
