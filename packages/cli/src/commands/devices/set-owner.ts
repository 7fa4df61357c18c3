import type { Handler } from '../../command';
import { record } from '../../output/view';
import { notFoundAs } from '../../sdk-errors';
import { requireId } from '../ids';
import { resolveUser } from '../users/resolve';
import { deviceColumns } from './columns';

/** Sets the user who owns a device (by id or e-mail), or `none`; shows the device after. */
export const handler: Handler<{ id: string; user: string }> = async ({ id, user }, { client }) => {
  requireId(id, 'device');
  const fleet = await client();
  const ownerId = user.toLowerCase() === 'none' ? null : (await resolveUser(fleet, user)).id;
  const device = await fleet.devices.update(id, { ownerId }).catch(notFoundAs(`device ${id}`));
  return record(device, deviceColumns);
};
