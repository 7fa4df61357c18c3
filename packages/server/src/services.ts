import { CommandNotifier } from './notifier';
import { createApiTokensRepository } from './repositories/api-tokens';
import { createCommandsRepository } from './repositories/commands';
import { createDevicesRepository } from './repositories/devices';
import { createEnrollmentTokensRepository } from './repositories/enrollment-tokens';
import { createIdempotencyKeysRepository } from './repositories/idempotency-keys';
import { createOrgsRepository } from './repositories/orgs';
import type { Db } from './store/db';

export const DEFAULT_CHECK_IN_INTERVAL_SECONDS = 60;

/** Everything a route handler may use: the repositories over one store, and the notifier. */
export function createServices(
  db: Db,
  options: { publicUrl: () => string; checkInIntervalSeconds?: number },
) {
  return {
    db,
    orgs: createOrgsRepository(db),
    apiTokens: createApiTokensRepository(db),
    enrollmentTokens: createEnrollmentTokensRepository(db),
    devices: createDevicesRepository(db),
    commands: createCommandsRepository(db),
    idempotencyKeys: createIdempotencyKeysRepository(db),
    notifier: new CommandNotifier(db.notifications),
    publicUrl: options.publicUrl,
    checkInIntervalSeconds: options.checkInIntervalSeconds ?? DEFAULT_CHECK_IN_INTERVAL_SECONDS,
  };
}
export type Services = ReturnType<typeof createServices>;
