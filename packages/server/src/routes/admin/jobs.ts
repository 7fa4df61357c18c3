import { adminRoutes } from '@fleetops/protocol';
import type { FastifyRequest } from 'fastify';
import { defineRoute } from '../../http/route';
import type { AdminPrincipal } from '../../repositories/api-tokens';
import type { Services } from '../../services';
import { requireRoleFor } from './destructive';

const actorOf = (admin: AdminPrincipal) => ({ name: admin.token.name, tokenId: admin.token.id });

export const jobRoutes = ({ jobs, orgs, notifier }: Services) => {
  // Devices also find their commands at their next poll: a failed wake-up is only logged.
  const wake = (jobId: string, request: FastifyRequest) =>
    notifier.notifyJob(jobId).catch((err) => request.log.warn({ err, jobId }, 'waking devices failed'));

  const current = ({ admin, params }: { admin: AdminPrincipal; params: { id: string } }) =>
    jobs.get(admin.org.id, params.id);

  return [
    defineRoute(adminRoutes.previewJob, ({ admin, body }) => jobs.preview(admin.org.id, body)),
    defineRoute(adminRoutes.createJob, async ({ admin, body, request }) => {
      requireRoleFor(admin, body.type);
      const key = request.headers['idempotency-key'];
      const job = await jobs.create(
        admin.org.id,
        actorOf(admin),
        body,
        typeof key === 'string' ? key : undefined,
      );
      if (job.status === 'running') await wake(job.id, request);
      return job;
    }),
    defineRoute(adminRoutes.listJobs, ({ admin, query }) => jobs.list(admin.org.id, query)),
    defineRoute(adminRoutes.getJob, ({ admin, params }) => jobs.get(admin.org.id, params.id)),
    defineRoute(adminRoutes.listJobResults, ({ admin, params, query }) =>
      jobs.results(admin.org.id, params.id, query),
    ),
    defineRoute(
      adminRoutes.cancelJob,
      ({ admin, params }) => jobs.cancel(admin.org.id, params.id, actorOf(admin)),
      { before: current },
    ),
    defineRoute(
      adminRoutes.approveJob,
      async ({ admin, params, request }) => {
        const job = await jobs.approve(admin.org.id, params.id, actorOf(admin));
        if (job.status === 'running') await wake(job.id, request);
        return job;
      },
      { before: current },
    ),
    defineRoute(adminRoutes.getSettings, ({ admin }) => orgs.settings(admin.org.id)),
    defineRoute(adminRoutes.updateSettings, ({ admin, body }) => orgs.updateSettings(admin.org.id, body), {
      before: ({ admin }) => orgs.settings(admin.org.id),
    }),
  ];
};
