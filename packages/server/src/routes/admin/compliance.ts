import { adminRoutes } from '@fleetops/protocol';
import { defineRoute } from '../../http/route';
import type { AdminPrincipal } from '../../repositories/api-tokens';
import type { Services } from '../../services';
import { requireRoleFor } from './destructive';

const actorOf = (admin: AdminPrincipal) => ({ name: admin.token.name, tokenId: admin.token.id });

/** Compliance: the org's rules, scans with their results and history, events, impact and remediation. */
export const complianceRoutes = ({ compliance, notifier }: Services) => [
  defineRoute(adminRoutes.getComplianceRules, ({ admin }) => compliance.rules(admin.org.id)),
  defineRoute(adminRoutes.applyComplianceRules, ({ admin, body }) => compliance.apply(admin.org.id, body), {
    before: ({ admin }) => compliance.rules(admin.org.id),
  }),
  defineRoute(adminRoutes.complianceImpact, ({ admin, body }) =>
    compliance.impact(admin.org.id, body.document),
  ),
  defineRoute(adminRoutes.startComplianceScan, ({ admin, body }) => compliance.scan(admin.org.id, body)),
  defineRoute(adminRoutes.listComplianceScans, ({ admin, query }) => compliance.scans(admin.org.id, query)),
  defineRoute(adminRoutes.getComplianceScan, ({ admin, params }) =>
    compliance.getScan(admin.org.id, params.id),
  ),
  defineRoute(adminRoutes.listComplianceResults, ({ admin, params, query }) =>
    compliance.results(admin.org.id, params.id, query),
  ),
  defineRoute(adminRoutes.complianceHistory, ({ admin, query }) => compliance.history(admin.org.id, query)),
  defineRoute(adminRoutes.listComplianceEvents, ({ admin, query }) => compliance.events(admin.org.id, query)),
  defineRoute(adminRoutes.remediateCompliance, async ({ admin, body, request }) => {
    const result = await compliance.remediate(admin.org.id, actorOf(admin), body, (command) =>
      requireRoleFor(admin, command),
    );
    // Devices also find their commands at their next poll: a failed wake-up is only logged.
    for (const item of result.items) {
      if (item.jobId === null) continue;
      await notifier
        .notifyJob(item.jobId)
        .catch((err) => request.log.warn({ err, jobId: item.jobId }, 'waking devices failed'));
    }
    return result;
  }),
];
