import type { ActivityEntry, DeviceEvent } from '@fleetops/protocol';
import { timestampCell } from '../../output/time';
import type { Column } from '../../output/view';

/** Columns of device events: one line each, the category's fields as JSON. */
export const eventColumns: Column<DeviceEvent>[] = [
  { key: 'id', header: 'ID', value: (e) => e.id },
  { key: 'occurredAt', header: 'OCCURRED', value: (e, c) => timestampCell(e.occurredAt, c) },
  { key: 'category', header: 'TYPE', value: (e) => e.category },
  { key: 'deviceId', header: 'DEVICE', value: (e) => e.deviceId },
  { key: 'userId', header: 'USER', value: (e) => e.userId },
  { key: 'data', header: 'DATA', value: (e) => JSON.stringify(e.data) },
  { key: 'receivedAt', header: 'RECEIVED', value: (e, c) => timestampCell(e.receivedAt, c) },
  { key: 'anonymized', header: 'ANONYMIZED', value: (e) => e.anonymized },
];

/** `name (role)`. */
const actor = (entry: ActivityEntry) => `${entry.actor.tokenName} (${entry.actor.role})`;

/** The fields an entry changed, by name. */
function changedFields(entry: ActivityEntry): string {
  const { before, after } = entry.changes ?? {};
  const names = new Set([...fieldNames(before), ...fieldNames(after)]);
  return [...names].join(',');
}

const fieldNames = (value: unknown): string[] =>
  value && typeof value === 'object' && !Array.isArray(value) ? Object.keys(value) : [];

/** Columns of the admin activity log: who changed what, when, from where. */
export const activityColumns: Column<ActivityEntry>[] = [
  { key: 'seq', header: 'SEQ', value: (a) => a.seq },
  { key: 'at', header: 'AT', value: (a, c) => timestampCell(a.at, c) },
  { key: 'actor', header: 'ACTOR', value: actor },
  { key: 'action', header: 'ACTION', value: (a) => a.action },
  { key: 'target', header: 'TARGET', value: (a) => (a.target ? `${a.target.type} ${a.target.id}` : null) },
  { key: 'changed', header: 'CHANGED', value: changedFields },
  {
    key: 'context',
    header: 'CONTEXT',
    value: (a) =>
      Object.entries(a.context)
        .map(([key, value]) => `${key}=${value}`)
        .join(','),
  },
  { key: 'ip', header: 'IP', value: (a) => a.ip },
  { key: 'requestId', header: 'REQUEST', value: (a) => a.requestId },
];
