import {
  type CommandType,
  DESTRUCTIVE_COMMANDS,
  type EnrollRequest,
  deviceRoutes as routes,
} from '@fleetops/protocol';
import type { z } from 'zod';
import { defineRoute } from '../../http/route';
import type { DevicePrincipal } from '../../repositories/devices';
import type { Services } from '../../services';
import type { Queryable } from '../../store/db';

const isDestructive = (type: CommandType) => (DESTRUCTIVE_COMMANDS as readonly CommandType[]).includes(type);

/** Enrolls a device, or returns the one an earlier try of the same request created. */
async function enrollOrResume(svc: Services, tx: Queryable, body: z.output<typeof EnrollRequest>) {
  const resumed = body.requestId
    ? await svc.devices.resumeEnrollment(tx, body.enrollmentToken, body.requestId)
    : undefined;
  if (resumed) return resumed;
  const token = await svc.enrollmentTokens.consume(tx, body.enrollmentToken);
  return svc.devices.enroll(tx, {
    orgId: token.orgId,
    enrollmentTokenId: token.id,
    group: token.group,
    mode: token.mode,
    facts: body.facts,
    requestId: body.requestId ?? null,
  });
}

/** The device API: enrollment, check-in, long-polled commands and their results. */
export const deviceApiRoutes = (svc: Services, shutdown: AbortSignal) => {
  const deliver = async (device: DevicePrincipal) =>
    svc.commands.deliver(device, (await svc.orgs.commandSigningKey(device.orgId)).privateKey);

  return [
    defineRoute(routes.enroll, async ({ body }) => {
      const { device, credential, org } = await svc.db.transaction(async (tx) => {
        const enrolled = await enrollOrResume(svc, tx, body);
        const org = await tx.query<{ id: string; name: string }>(
          'SELECT o.id, o.name FROM orgs o JOIN devices d ON d.org_id = o.id WHERE d.id = $1',
          [enrolled.device.id],
        );
        return { ...enrolled, org: org[0]! };
      });
      return {
        deviceId: device.id,
        credential,
        org,
        mode: device.mode,
        checkInIntervalSeconds: svc.checkInIntervalSeconds,
        enrollmentGeneration: device.enrollmentGeneration,
        commandSigningKey: (await svc.orgs.commandSigningKey(org.id)).publicKey,
      };
    }),

    defineRoute(routes.checkIn, async ({ device, body, request }) => {
      const { group } = await svc.devices.checkIn(device.id, body);
      const appRules = await svc.compliance.checkIn(device, body.appScan, (err) =>
        request.log.error({ err, deviceId: device.id }, 'compliance evaluation at check-in failed'),
      );
      return {
        commands: await deliver(device),
        checkInIntervalSeconds: svc.checkInIntervalSeconds,
        policy: await svc.policies.forCheckIn(device.orgId, device.id, group),
        ...(appRules && { appRules }),
      };
    }),

    defineRoute(routes.poll, async ({ device, query, reply }) => {
      await svc.devices.seen(device.id);
      const waiter = svc.notifier.listen(device.id);
      try {
        let commands = await deliver(device);
        if (commands.length === 0 && query.wait > 0 && !shutdown.aborted) {
          const gone = new AbortController();
          reply.raw.once('close', () => gone.abort());
          const woken = await waiter.wait(query.wait * 1000, AbortSignal.any([gone.signal, shutdown]));
          // Not woken: nothing was queued for the device, which asks again at once anyway.
          if (woken && !gone.signal.aborted) commands = await deliver(device);
        }
        return { commands };
      } finally {
        waiter.dispose();
      }
    }),

    defineRoute(routes.reportResult, async ({ device, params, body }) => {
      const type = await svc.commands.report(device.id, params.id, body);
      if (body.state) await svc.devices.touch(device.id, body.state);
      // A device that wiped itself or removed its management is no longer managed: its
      // enrollment ends, as if an administrator had retired it.
      if (body.status === 'succeeded' && type && isDestructive(type)) {
        await svc.devices.retire(device.orgId, device.id);
      }
      return { ok: true as const };
    }),
  ];
};
