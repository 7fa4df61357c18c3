import type { PatchDeviceRequest } from '@fleetops/protocol';
import type { Handler } from '../../command';
import { UsageError } from '../../errors';
import { record } from '../../output/view';
import { notFoundAs } from '../../sdk-errors';
import { requireId } from '../ids';
import { deviceColumns } from './columns';

/** Options of `devices label`. */
export interface LabelDeviceOptions {
  id: string;
  add?: string[];
  remove?: string[];
  set?: string[];
  clear?: boolean;
}

/** Adds and removes labels of a device, or replaces them all; shows the device after. */
export const handler: Handler<LabelDeviceOptions> = async (opts, { client }) => {
  requireId(opts.id, 'device');
  const device = await (await client()).devices
    .update(opts.id, labelPatch(opts))
    .catch(notFoundAs(`device ${opts.id}`));
  return record(device, deviceColumns);
};

/** The change a set of label flags asks for. */
export function labelPatch({ add, remove, set, clear }: Omit<LabelDeviceOptions, 'id'>): PatchDeviceRequest {
  const replacing = set !== undefined || clear === true;
  const editing = add !== undefined || remove !== undefined;
  if (replacing && editing) throw new UsageError('give --set or --clear, or --add/--remove, not both');
  if (set !== undefined && clear) throw new UsageError('give --set or --clear, not both');
  if (replacing) return { labels: set ?? [] };
  if (!editing) throw new UsageError('nothing to change: give --add, --remove, --set or --clear');
  return { addLabels: add, removeLabels: remove };
}
