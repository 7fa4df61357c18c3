import type { Handler } from '../../command';
import { record } from '../../output/view';
import { notFoundAs } from '../../sdk-errors';
import { requireId } from '../ids';
import { commandColumns } from './columns';

/** Shows one command sent to a device, and where it stands. */
export const handler: Handler<{ id: string }> = async ({ id }, { client }) => {
  requireId(id, 'command');
  const command = await (await client()).commands.retrieve(id).catch(notFoundAs(`command ${id}`));
  return record(command, commandColumns);
};
