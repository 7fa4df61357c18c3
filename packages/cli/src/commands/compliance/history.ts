import type { ComplianceHistoryPoint } from '@fleetops/protocol';
import type { Handler } from '../../command';
import { timestampCell } from '../../output/time';
import { type Column, list } from '../../output/view';
import { pointInTime } from '../audit/filters';
import { percent } from './describe';

/** Options of `compliance history`. */
export interface HistoryOptions {
  since?: string;
  until?: string;
}

/** One line per whole-fleet scan: when, how many devices, how many broke a rule, the rate. */
export const historyColumns: Column<ComplianceHistoryPoint>[] = [
  { key: 'at', header: 'AT', value: (p, c) => timestampCell(p.at, c) },
  { key: 'complianceRate', header: 'RATE', value: (p) => percent(p.complianceRate) },
  { key: 'deviceCount', header: 'DEVICES', value: (p) => p.deviceCount },
  { key: 'nonCompliantCount', header: 'NON-COMPLIANT', value: (p) => p.nonCompliantCount },
  { key: 'critical', header: 'CRITICAL', value: (p) => p.devicesBySeverity.critical },
  { key: 'high', header: 'HIGH', value: (p) => p.devicesBySeverity.high },
  { key: 'medium', header: 'MEDIUM', value: (p) => p.devicesBySeverity.medium },
  { key: 'low', header: 'LOW', value: (p) => p.devicesBySeverity.low },
  { key: 'scanId', header: 'SCAN', value: (p) => p.scanId },
];

/**
 * The compliance rate over time, one line per scan of the whole fleet, oldest first; the
 * change over the period goes to stderr.
 */
export const handler: Handler<HistoryOptions> = async (opts, { client, clock, io }) => {
  const now = clock();
  const query = {
    ...(opts.since !== undefined && { since: pointInTime(opts.since, now) }),
    ...(opts.until !== undefined && { until: pointInTime(opts.until, now) }),
  };
  const { points } = await (await client()).compliance.history(query);
  const first = points[0];
  const last = points.at(-1);
  if (first && last) {
    io.info(
      `${points.length} scan(s) from ${first.at} to ${last.at}: ${percent(first.complianceRate)} → ${percent(last.complianceRate)}`,
    );
  }
  return list(points, historyColumns, {
    emptyMessage: 'no whole-fleet scan in this period: run fleetops compliance scan',
  });
};
