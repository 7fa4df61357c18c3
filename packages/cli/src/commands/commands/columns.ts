import type { Command } from '@fleetops/sdk';
import { timestampCell } from '../../output/time';
import type { Column } from '../../output/view';

/** Fields of one command sent to a device, top to bottom. */
export const commandColumns: Column<Command>[] = [
  { key: 'id', header: 'Command', value: (c) => c.id },
  { key: 'deviceId', header: 'Device', value: (c) => c.deviceId },
  { key: 'type', header: 'Type', value: (c) => c.type },
  { key: 'status', header: 'Status', value: (c) => c.status },
  { key: 'error', header: 'Error', value: (c) => c.error },
  { key: 'createdAt', header: 'Sent', value: (c, x) => timestampCell(c.createdAt, x) },
  { key: 'completedAt', header: 'Completed', value: (c, x) => timestampCell(c.completedAt, x) },
];
