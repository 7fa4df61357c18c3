import { adminRoutes } from '@fleetops/protocol';
import { defineRoute } from '../../http/route';
import type { AdminPrincipal } from '../../repositories/api-tokens';
import type { Services } from '../../services';

const actorOf = (admin: AdminPrincipal) => ({ name: admin.token.name });

export const policyRoutes = ({ policies }: Services) => [
  defineRoute(adminRoutes.getPolicies, ({ admin }) => policies.set(admin.org.id)),
  defineRoute(adminRoutes.getPolicy, ({ admin, params }) => policies.get(admin.org.id, params.name)),
  defineRoute(adminRoutes.listPolicyVersions, ({ admin, params, query }) =>
    policies.versions(admin.org.id, params.name, query),
  ),
  defineRoute(
    adminRoutes.putPolicy,
    ({ admin, params, body }) => policies.put(admin.org.id, actorOf(admin), params.name, body),
    { before: ({ admin, params }) => policies.get(admin.org.id, params.name) },
  ),
  defineRoute(adminRoutes.planPolicies, ({ admin, body }) => policies.plan(admin.org.id, body)),
  defineRoute(adminRoutes.applyPolicies, ({ admin, body }) =>
    policies.apply(admin.org.id, actorOf(admin), body),
  ),
  defineRoute(adminRoutes.listPolicyRevisions, ({ admin, query }) => policies.revisions(admin.org.id, query)),
  defineRoute(adminRoutes.rollbackPolicies, ({ admin, body }) =>
    policies.rollback(admin.org.id, actorOf(admin), body),
  ),
  defineRoute(adminRoutes.listPolicyDrift, ({ admin, query }) => policies.drift(admin.org.id, query)),
  defineRoute(adminRoutes.getDevicePolicy, ({ admin, params }) =>
    policies.forDevice(admin.org.id, params.id),
  ),
];
