import { deviceRoutes as routes } from '@fleetops/protocol';
import { defineRoute } from '../../http/route';
import type { Services } from '../../services';

/** The device API: enrollment, check-in, long-polled commands and their results. */
export const deviceApiRoutes = (svc: Services, shutdown: AbortSignal) => [
  defineRoute(routes.enroll, async ({ body }) => {
    const { device, credential, org } = await svc.db.transaction(async (tx) => {
      const token = await svc.enrollmentTokens.consume(tx, body.enrollmentToken);
      const enrolled = await svc.devices.enroll(tx, {
        orgId: token.orgId,
        enrollmentTokenId: token.id,
        group: token.group,
        mode: token.mode,
        facts: body.facts,
      });
      const org = await tx.query<{ id: string; name: string }>('SELECT id, name FROM orgs WHERE id = $1', [
        token.orgId,
      ]);
      return { ...enrolled, org: org[0]! };
    });
    return {
      deviceId: device.id,
      credential,
      org,
      mode: device.mode,
      checkInIntervalSeconds: svc.checkInIntervalSeconds,
    };
  }),

  defineRoute(routes.checkIn, async ({ device, body }) => {
    await svc.devices.checkIn(device.id, body);
    return {
      commands: await svc.commands.deliver(device.id),
      checkInIntervalSeconds: svc.checkInIntervalSeconds,
    };
  }),

  defineRoute(routes.poll, async ({ device, query, reply }) => {
    await svc.devices.touch(device.id);
    let commands = await svc.commands.deliver(device.id);
    if (commands.length === 0 && query.wait > 0 && !shutdown.aborted) {
      const gone = new AbortController();
      reply.raw.once('close', () => gone.abort());
      await svc.notifier.wait(device.id, query.wait * 1000, AbortSignal.any([gone.signal, shutdown]));
      if (!gone.signal.aborted) commands = await svc.commands.deliver(device.id);
    }
    return { commands };
  }),

  defineRoute(routes.reportResult, async ({ device, params, body }) => {
    await svc.commands.report(device.id, params.id, body);
    if (body.state) await svc.devices.touch(device.id, body.state);
    return { ok: true as const };
  }),
];
