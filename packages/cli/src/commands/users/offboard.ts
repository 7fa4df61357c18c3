import type { Handler } from '../../command';
import { record } from '../../output/view';
import { confirm } from '../policy/confirm';
import { offboardColumns } from './columns';
import { resolveUser } from './resolve';

/** Options of `users offboard`. */
export interface OffboardOptions {
  user: string;
  retireDevices?: boolean;
  erasePersonalData?: boolean;
  yes?: boolean;
}

/**
 * Offboards a user after confirmation (typed at a terminal, or `--yes`): their devices are
 * refused from then on, retired with `--retire-devices`; `--erase-personal-data` erases their
 * name, e-mail and phone and deletes or anonymizes their events at once.
 */
export const handler: Handler<OffboardOptions> = async (opts, deps) => {
  const fleet = await deps.client();
  const user = await resolveUser(fleet, opts.user);
  if (!opts.yes) await confirm(deps, `offboard ${opts.user}${consequences(opts, user.deviceCount)}`);
  const result = await fleet.users.offboard(user.id, {
    retireDevices: opts.retireDevices ?? false,
    erasePersonalData: opts.erasePersonalData ?? false,
  });
  deps.io.info(`offboarded ${opts.user}`);
  return record(result, offboardColumns);
};

/** What the offboarding will do besides refusing the user's devices, for the question. */
function consequences(opts: OffboardOptions, devices: number): string {
  const parts = [
    opts.retireDevices && `retire their ${devices} device(s)`,
    opts.erasePersonalData && 'erase their personal data and events (this cannot be undone)',
  ].filter(Boolean);
  return parts.length > 0 ? `, ${parts.join(' and ')}` : '';
}
