import { CommandNotifier } from './notifier';
import { createActivityRepository } from './repositories/activity';
import { createApiTokensRepository } from './repositories/api-tokens';
import { createCommandsRepository } from './repositories/commands';
import { createComplianceService } from './repositories/compliance';
import { createDevicesRepository } from './repositories/devices';
import { createEnrollmentTokensRepository } from './repositories/enrollment-tokens';
import { createEventsRepository } from './repositories/events';
import { createIdempotencyKeysRepository } from './repositories/idempotency-keys';
import { createJobsRepository } from './repositories/jobs';
import { createOrgsRepository } from './repositories/orgs';
import { createPoliciesRepository } from './repositories/policies';
import { createDevicePolicies } from './repositories/policies/device-policies';
import { createRolloutsRepository } from './repositories/policies/rollouts';
import { createUsersRepository } from './repositories/users';
import type { Db } from './store/db';

export const DEFAULT_CHECK_IN_INTERVAL_SECONDS = 60;

/** Everything a route handler may use: the repositories over one store, and the notifier. */
export function createServices(
  db: Db,
  options: { publicUrl: () => string; checkInIntervalSeconds?: number },
) {
  const orgs = createOrgsRepository(db);
  const devicePolicies = createDevicePolicies(db);
  const notifier = new CommandNotifier(db.notifications, async (jobId) => {
    const rows = await db.query<{ device_id: string }>(
      "SELECT device_id FROM commands WHERE job_id = $1 AND status = 'queued'",
      [jobId],
    );
    return rows.map((row) => row.device_id);
  });
  const jobs = createJobsRepository(db, (q, orgId) => orgs.settings(orgId, q));
  return {
    db,
    orgs,
    jobs,
    apiTokens: createApiTokensRepository(db),
    enrollmentTokens: createEnrollmentTokensRepository(db),
    devices: createDevicesRepository(db),
    events: createEventsRepository(db, devicePolicies),
    users: createUsersRepository(db),
    commands: createCommandsRepository(db),
    policies: createPoliciesRepository(db, devicePolicies),
    rollouts: createRolloutsRepository(db, devicePolicies, (deviceIds) => notifier.notifyMany(deviceIds)),
    compliance: createComplianceService(db, { jobs, devicePolicies }),
    idempotencyKeys: createIdempotencyKeysRepository(db),
    activity: createActivityRepository(db, orgs),
    notifier,
    publicUrl: options.publicUrl,
    checkInIntervalSeconds: options.checkInIntervalSeconds ?? DEFAULT_CHECK_IN_INTERVAL_SECONDS,
  };
}
export type Services = ReturnType<typeof createServices>;
