import { adminRoutes, EXPORT_CONTENT_TYPES } from '@fleetops/protocol';
import { defineRoute } from '../../http/route';
import type { Services } from '../../services';

/** Device audit events for administrators: list, streamed export, a device's consent, retention. */
export const auditEventRoutes = ({ events }: Services) => [
  defineRoute(adminRoutes.listAuditEvents, ({ admin, query }) => events.list(admin.org.id, query)),
  defineRoute(adminRoutes.exportAuditEvents, async ({ admin, query, reply }) => {
    const body = await events.export(admin.org.id, query);
    reply.type(EXPORT_CONTENT_TYPES[query.format]);
    return body;
  }),
  defineRoute(adminRoutes.getDeviceConsent, ({ admin, params }) => events.consent(admin.org.id, params.id)),
  // Batch by batch, each committed: a long pass holds no lock to its end.
  defineRoute(adminRoutes.runRetention, ({ admin }) => events.runRetention(admin.org.id), {
    ownTransactions: true,
  }),
];
