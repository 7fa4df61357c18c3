import type { Job, JobResult } from '@fleetops/sdk';
import { timestampCell } from '../../output/time';
import type { Column } from '../../output/view';
import { tally, unsuccessful } from './progress';

/** Columns of a job list: where each job stands, in one line. */
export const jobListColumns: Column<Job>[] = [
  { key: 'id', header: 'ID', value: (j) => j.id },
  { key: 'type', header: 'TYPE', value: (j) => j.type },
  { key: 'status', header: 'STATUS', value: (j) => j.status },
  { key: 'targets', header: 'TARGETS', value: (j) => j.targetCount },
  { key: 'succeeded', header: 'SUCCEEDED', value: (j) => j.counts.succeeded },
  // Every device that ended without success, as the exit code of `jobs wait` counts them.
  { key: 'failed', header: 'FAILED', value: (j) => unsuccessful(tally(j.counts)) },
  { key: 'pending', header: 'PENDING', value: (j) => tally(j.counts).pending },
  { key: 'createdBy', header: 'CREATED BY', value: (j) => j.createdBy },
  { key: 'createdAt', header: 'CREATED', value: (j, c) => timestampCell(j.createdAt, c) },
  { key: 'reason', header: 'REASON', value: (j) => j.reason },
];

/** Fields of one job, top to bottom. */
export const jobColumns: Column<Job>[] = [
  { key: 'id', header: 'Job', value: (j) => j.id },
  { key: 'type', header: 'Type', value: (j) => j.type },
  { key: 'status', header: 'Status', value: (j) => j.status },
  { key: 'reason', header: 'Reason', value: (j) => j.reason },
  { key: 'selector', header: 'Selector', value: (j) => j.selector },
  { key: 'targets', header: 'Targets', value: (j) => j.targetCount },
  { key: 'succeeded', header: 'Succeeded', value: (j) => j.counts.succeeded },
  { key: 'failed', header: 'Failed', value: (j) => j.counts.failed },
  { key: 'expired', header: 'Expired', value: (j) => j.counts.expired },
  { key: 'canceled', header: 'Canceled', value: (j) => j.counts.canceled },
  { key: 'pending', header: 'Pending', value: (j) => tally(j.counts).pending },
  { key: 'skipped', header: 'Skipped', value: (j) => j.counts.skipped },
  { key: 'unresolved', header: 'Unresolved', value: (j) => j.unresolved.length },
  { key: 'createdBy', header: 'Created by', value: (j) => j.createdBy },
  { key: 'createdAt', header: 'Created', value: (j, c) => timestampCell(j.createdAt, c) },
  { key: 'requiresApproval', header: 'Needs approval', value: (j) => j.requiresApproval },
  { key: 'approvedBy', header: 'Approved by', value: (j) => j.approvedBy },
  { key: 'approvedAt', header: 'Approved', value: (j, c) => timestampCell(j.approvedAt, c) },
  { key: 'notBefore', header: 'Not before', value: (j, c) => timestampCell(j.notBefore, c) },
  { key: 'afterJobId', header: 'After job', value: (j) => j.afterJobId },
  { key: 'canceledBy', header: 'Canceled by', value: (j) => j.canceledBy },
  { key: 'completedAt', header: 'Completed', value: (j, c) => timestampCell(j.completedAt, c) },
];

/** Columns of a job's per-device results: one row per device, traced to its input line. */
export const jobResultColumns: Column<JobResult>[] = [
  { key: 'deviceId', header: 'DEVICE', value: (r) => r.deviceId },
  { key: 'serial', header: 'SERIAL', value: (r) => r.serial },
  { key: 'status', header: 'STATUS', value: (r) => r.status },
  { key: 'error', header: 'ERROR', value: (r) => r.error },
  { key: 'line', header: 'LINE', value: (r) => r.line },
  { key: 'deliveredAt', header: 'DELIVERED', value: (r, c) => timestampCell(r.deliveredAt, c) },
  { key: 'completedAt', header: 'COMPLETED', value: (r, c) => timestampCell(r.completedAt, c) },
];
