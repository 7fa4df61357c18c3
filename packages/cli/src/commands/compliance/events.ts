import type { ComplianceEvent, ComplianceEventType } from '@fleetops/protocol';
import type { Handler } from '../../command';
import { timestampCell } from '../../output/time';
import { type Column, list } from '../../output/view';
import { evidenceSummary } from '../../reports/evidence';
import { pointInTime } from '../audit/filters';
import { take } from '../devices/list';
import { requireId } from '../ids';

/** Options of `compliance events`. */
export interface EventsOptions {
  since?: string;
  device?: string;
  type?: ComplianceEventType;
  rule?: string;
  limit?: number;
}

/** One line per event: when a device started or stopped breaking a rule, and why. */
export const complianceEventColumns: Column<ComplianceEvent>[] = [
  { key: 'id', header: 'ID', value: (e) => e.id },
  { key: 'at', header: 'AT', value: (e, c) => timestampCell(e.at, c) },
  { key: 'type', header: 'TYPE', value: (e) => e.type },
  { key: 'deviceId', header: 'DEVICE', value: (e) => e.deviceId },
  { key: 'rule', header: 'RULE', value: (e) => e.rule },
  { key: 'severity', header: 'SEVERITY', value: (e) => e.severity },
  { key: 'source', header: 'SOURCE', value: (e) => e.source },
  { key: 'evidence', header: 'EVIDENCE', value: (e) => evidenceSummary(e.evidence) },
];

const PAGE_SIZE = 500;

/** Lists compliance events, oldest first, fetching pages only as output consumes them. */
export const handler: Handler<EventsOptions> = async (opts, { client, clock }) => {
  const query = {
    ...(opts.since !== undefined && { since: pointInTime(opts.since, clock()) }),
    ...(opts.device !== undefined && { deviceId: requireId(opts.device, 'device') }),
    ...(opts.type !== undefined && { type: opts.type }),
    ...(opts.rule !== undefined && { rule: opts.rule }),
    limit: Math.min(opts.limit ?? PAGE_SIZE, PAGE_SIZE),
  };
  const events = (await client()).compliance.events.list(query);
  return list(take(events, opts.limit), complianceEventColumns, { emptyMessage: 'no events match' });
};
