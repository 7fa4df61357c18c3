import type { Handler } from '../../command';
import { record } from '../../output/view';
import { notFoundAs } from '../../sdk-errors';
import { requireId } from '../ids';
import { deviceColumns } from './columns';
import { consentColumns } from './consent-columns';

/**
 * Shows one device and, per audit category, whether it is collected (the policy switch and the
 * user's permission), how long it is kept and how many events were stored or dropped. In a
 * table they follow the device; the machine formats add them to it as `audit`.
 */
export const handler: Handler<{ id: string }> = async ({ id, output }, { client, io, clock }) => {
  requireId(id, 'device');
  const fleet = await client();
  const [device, consent] = await Promise.all([fleet.devices.retrieve(id), fleet.devices.consent(id)]).catch(
    notFoundAs(`device ${id}`),
  );
  const item = { ...device, audit: consent.categories };
  if (output !== 'table') return record(item, deviceColumns);
  const { formatTable } = await import('../../output/table');
  const context = { interactive: io.isInteractive(), now: clock() };
  const { text } = await formatTable(consent.categories, consentColumns, context, io.color);
  return record(item, deviceColumns, { trailer: `\nAudit collection:\n${text}` });
};
