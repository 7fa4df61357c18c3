import { adminRoutes } from '@fleetops/protocol';
import { defineRoute } from '../../http/route';
import type { Services } from '../../services';

export const rolloutRoutes = ({ rollouts }: Services) => {
  const current = ({ admin, params }: { admin: { org: { id: string } }; params: { id: string } }) =>
    rollouts.get(admin.org.id, params.id);
  return [
    defineRoute(adminRoutes.createRollout, ({ admin, params, body }) =>
      rollouts.create(admin.org.id, { name: admin.token.name }, params.name, body),
    ),
    defineRoute(adminRoutes.listRollouts, ({ admin, params, query }) =>
      rollouts.list(admin.org.id, params.name, query),
    ),
    defineRoute(adminRoutes.getRollout, current),
    defineRoute(adminRoutes.pauseRollout, ({ admin, params }) => rollouts.pause(admin.org.id, params.id), {
      before: current,
    }),
    defineRoute(adminRoutes.resumeRollout, ({ admin, params }) => rollouts.resume(admin.org.id, params.id), {
      before: current,
    }),
    defineRoute(adminRoutes.abortRollout, ({ admin, params }) => rollouts.abort(admin.org.id, params.id), {
      before: current,
    }),
    defineRoute(
      adminRoutes.rollbackRollout,
      ({ admin, params }) => rollouts.rollback(admin.org.id, params.id),
      { before: current },
    ),
  ];
};
