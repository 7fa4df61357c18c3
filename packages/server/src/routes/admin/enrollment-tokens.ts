import { adminRoutes } from '@fleetops/protocol';
import { defineRoute } from '../../http/route';
import type { Services } from '../../services';

export const enrollmentTokenRoutes = ({ enrollmentTokens, publicUrl }: Services) => [
  defineRoute(adminRoutes.listEnrollmentTokens, ({ admin, query }) =>
    enrollmentTokens.list(admin.org.id, query.limit, query.cursor),
  ),
  defineRoute(adminRoutes.createEnrollmentToken, ({ admin, body }) =>
    enrollmentTokens.create(admin.org.id, body, publicUrl()),
  ),
  defineRoute(
    adminRoutes.revokeEnrollmentToken,
    ({ admin, params }) => enrollmentTokens.revoke(admin.org.id, params.id),
    { before: ({ admin, params }) => enrollmentTokens.get(admin.org.id, params.id) },
  ),
];
