import type { PolicyApplyResult, PolicyDrift, PolicyPlan, PolicyRevision } from '@fleetops/protocol';
import { timestampCell } from '../../output/time';
import type { Column } from '../../output/view';

/** A plan in CSV: its counts. */
export const planColumns: Column<PolicyPlan>[] = [
  { key: 'baseRevision', header: 'Base revision', value: (p) => p.baseRevision },
  { key: 'create', header: 'Create', value: (p) => p.summary.create },
  { key: 'update', header: 'Update', value: (p) => p.summary.update },
  { key: 'delete', header: 'Delete', value: (p) => p.summary.delete },
  { key: 'unchanged', header: 'Unchanged', value: (p) => p.summary.unchanged },
  { key: 'drifted', header: 'Drifted', value: (p) => p.summary.drifted },
];

const names = (list: string[]) => list.join(' ') || null;

/** Columns of the revision history, one change of the policy set per row. */
export const revisionColumns: Column<PolicyRevision>[] = [
  { key: 'revision', header: 'REVISION', value: (r) => r.revision },
  {
    key: 'source',
    header: 'SOURCE',
    value: (r) => (r.rolledBackTo === null ? r.source : `${r.source} to ${r.rolledBackTo}`),
  },
  { key: 'author', header: 'AUTHOR', value: (r) => r.author },
  { key: 'createdAt', header: 'CREATED', value: (r, c) => timestampCell(r.createdAt, c) },
  { key: 'created', header: 'CREATED POLICIES', value: (r) => names(r.created) },
  { key: 'updated', header: 'UPDATED', value: (r) => names(r.updated) },
  { key: 'deleted', header: 'DELETED', value: (r) => names(r.deleted) },
  { key: 'message', header: 'MESSAGE', value: (r) => r.message },
  { key: 'commit', header: 'COMMIT', value: (r) => r.context?.commit },
];

/** An apply or rollback in CSV: the revision it made (empty when nothing changed). */
export const applyColumns: Column<PolicyApplyResult>[] = [
  { key: 'revision', header: 'Revision', value: (r) => r.revision?.revision ?? null },
  { key: 'source', header: 'Source', value: (r) => r.revision?.source ?? null },
  { key: 'created', header: 'Created', value: (r) => names(r.revision?.created ?? []) },
  { key: 'updated', header: 'Updated', value: (r) => names(r.revision?.updated ?? []) },
  { key: 'deleted', header: 'Deleted', value: (r) => names(r.revision?.deleted ?? []) },
];

/** A policy written by `policy pull`. */
export interface PulledPolicy {
  name: string;
  version: number;
  file: string;
}

/** Columns of what `policy pull` wrote. */
export const pulledColumns: Column<PulledPolicy>[] = [
  { key: 'name', header: 'NAME', value: (p) => p.name },
  { key: 'version', header: 'VERSION', value: (p) => p.version },
  { key: 'file', header: 'FILE', value: (p) => p.file },
];

const shortHash = (hash: string | null) => hash?.slice(0, 12) ?? null;

/** A device off its policy: what it should run, what it reports, what failed. */
export const driftColumns: Column<PolicyDrift>[] = [
  { key: 'deviceId', header: 'DEVICE', value: (d) => d.deviceId },
  { key: 'serial', header: 'SERIAL', value: (d) => d.serial },
  { key: 'group', header: 'GROUP', value: (d) => d.group },
  { key: 'expectedHash', header: 'EXPECTED', value: (d) => shortHash(d.expectedHash) },
  { key: 'appliedHash', header: 'RUNNING', value: (d) => shortHash(d.appliedHash) ?? 'none reported' },
  {
    key: 'failures',
    header: 'FAILED FIELDS',
    value: (d) => d.failures.map((f) => `${f.path}: ${f.reason}`).join('; ') || null,
  },
  { key: 'lastSeenAt', header: 'LAST SEEN', value: (d, c) => timestampCell(d.lastSeenAt, c) },
];
