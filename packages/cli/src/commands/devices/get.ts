import type { Handler } from '../../command';
import { record } from '../../output/view';
import { notFoundAs } from '../../sdk-errors';
import { requireId } from '../ids';
import { deviceColumns } from './columns';

/** Shows one device. */
export const handler: Handler<{ id: string }> = async ({ id }, { client }) => {
  requireId(id, 'device');
  const device = await (await client()).devices.retrieve(id).catch(notFoundAs(`device ${id}`));
  return record(device, deviceColumns);
};
