import type { Device } from '@fleetops/sdk';
import { timestampCell } from '../../output/time';
import type { Column } from '../../output/view';

/** Columns of a device list: what fits a terminal line, and what a spreadsheet wants. */
export const deviceListColumns: Column<Device>[] = [
  { key: 'id', header: 'ID', value: (d) => d.id },
  { key: 'os', header: 'OS', value: (d) => d.facts.os },
  { key: 'osVersion', header: 'VERSION', value: (d) => d.facts.osVersion },
  { key: 'model', header: 'MODEL', value: (d) => d.facts.model },
  { key: 'group', header: 'GROUP', value: (d) => d.group },
  { key: 'mode', header: 'MODE', value: (d) => d.mode },
  { key: 'labels', header: 'LABELS', value: (d) => d.labels.join(',') },
  { key: 'locked', header: 'LOCKED', value: (d) => d.state.locked },
  { key: 'status', header: 'STATUS', value: (d) => d.status },
  { key: 'lastSeenAt', header: 'LAST SEEN', value: (d, c) => timestampCell(d.lastSeenAt, c) },
];

/** Fields of one device, top to bottom. */
export const deviceColumns: Column<Device>[] = [
  { key: 'id', header: 'ID', value: (d) => d.id },
  { key: 'status', header: 'Status', value: (d) => d.status },
  { key: 'group', header: 'Group', value: (d) => d.group },
  { key: 'labels', header: 'Labels', value: (d) => d.labels.join(',') },
  { key: 'mode', header: 'Mode', value: (d) => d.mode },
  { key: 'ownerId', header: 'Owner', value: (d) => d.ownerId },
  { key: 'brand', header: 'Brand', value: (d) => d.facts.brand },
  { key: 'model', header: 'Model', value: (d) => d.facts.model },
  { key: 'os', header: 'OS', value: (d) => d.facts.os },
  { key: 'osVersion', header: 'OS version', value: (d) => d.facts.osVersion },
  { key: 'serial', header: 'Serial', value: (d) => d.facts.serial },
  { key: 'imei', header: 'IMEI', value: (d) => d.facts.imei },
  { key: 'phoneNumber', header: 'Phone', value: (d) => d.facts.phoneNumber },
  { key: 'network', header: 'Network', value: (d) => d.facts.networkType },
  { key: 'locked', header: 'Locked', value: (d) => d.state.locked },
  { key: 'appCount', header: 'Apps', value: (d) => d.appCount },
  { key: 'consent', header: 'Consent', value: (d) => grantsCell(d.consent) },
  { key: 'enrolledAt', header: 'Enrolled', value: (d, c) => timestampCell(d.enrolledAt, c) },
  { key: 'lastSeenAt', header: 'Last seen', value: (d, c) => timestampCell(d.lastSeenAt, c) },
  { key: 'retiredAt', header: 'Retired', value: (d, c) => timestampCell(d.retiredAt, c) },
];

/** `granted: location, files; not granted: callLog, appUsage`. */
function grantsCell(grants: Device['consent']): string {
  const entries = Object.entries(grants);
  const named = (granted: boolean) =>
    entries
      .filter(([, value]) => value === granted)
      .map(([permission]) => permission)
      .join(', ');
  return [named(true) && `granted: ${named(true)}`, named(false) && `not granted: ${named(false)}`]
    .filter(Boolean)
    .join('; ');
}
