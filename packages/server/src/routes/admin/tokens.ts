import { adminRoutes } from '@fleetops/protocol';
import { defineRoute } from '../../http/route';
import type { Services } from '../../services';

export const tokenRoutes = ({ apiTokens }: Services) => [
  defineRoute(adminRoutes.whoami, async ({ admin }) => ({
    org: admin.org,
    token: { id: admin.token.id, name: admin.token.name, role: admin.token.role, prefix: admin.token.prefix },
  })),
  defineRoute(adminRoutes.listTokens, ({ admin, query }) =>
    apiTokens.list(admin.org.id, query.limit, query.cursor),
  ),
  defineRoute(adminRoutes.createToken, ({ admin, body }) =>
    apiTokens.create(admin.org.id, body.name, body.role),
  ),
  defineRoute(adminRoutes.revokeToken, ({ admin, params }) => apiTokens.revoke(admin.org.id, params.id), {
    before: ({ admin, params }) => apiTokens.get(admin.org.id, params.id),
  }),
];
