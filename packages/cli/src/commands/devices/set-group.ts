import type { Handler } from '../../command';
import { record } from '../../output/view';
import { notFoundAs } from '../../sdk-errors';
import { requireId } from '../ids';
import { deviceColumns } from './columns';

/** Moves a device to another group; shows the device after. */
export const handler: Handler<{ id: string; group: string }> = async ({ id, group }, { client }) => {
  requireId(id, 'device');
  const device = await (await client()).devices.update(id, { group }).catch(notFoundAs(`device ${id}`));
  return record(device, deviceColumns);
};
