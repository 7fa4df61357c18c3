import type { ImportUsersResult, OffboardUserResult, User } from '@fleetops/protocol';
import { timestampCell } from '../../output/time';
import type { Column } from '../../output/view';

/** Columns of a user list. */
export const userListColumns: Column<User>[] = [
  { key: 'id', header: 'ID', value: (u) => u.id },
  { key: 'email', header: 'EMAIL', value: (u) => u.email },
  { key: 'name', header: 'NAME', value: (u) => u.name },
  { key: 'status', header: 'STATUS', value: (u) => u.status },
  { key: 'deviceCount', header: 'DEVICES', value: (u) => u.deviceCount },
  { key: 'externalId', header: 'EXTERNAL ID', value: (u) => u.externalId },
  { key: 'createdAt', header: 'CREATED', value: (u, c) => timestampCell(u.createdAt, c) },
];

/** Fields of one user, top to bottom. */
export const userColumns: Column<User>[] = [
  { key: 'id', header: 'ID', value: (u) => u.id },
  { key: 'email', header: 'E-mail', value: (u) => u.email },
  { key: 'name', header: 'Name', value: (u) => u.name },
  { key: 'phone', header: 'Phone', value: (u) => u.phone },
  { key: 'externalId', header: 'External id', value: (u) => u.externalId },
  { key: 'status', header: 'Status', value: (u) => u.status },
  { key: 'deviceCount', header: 'Devices', value: (u) => u.deviceCount },
  { key: 'createdAt', header: 'Created', value: (u, c) => timestampCell(u.createdAt, c) },
  { key: 'disabledAt', header: 'Disabled', value: (u, c) => timestampCell(u.disabledAt, c) },
  { key: 'offboardedAt', header: 'Offboarded', value: (u, c) => timestampCell(u.offboardedAt, c) },
  { key: 'erasedAt', header: 'Personal data erased', value: (u, c) => timestampCell(u.erasedAt, c) },
];

/** What an import did. */
export const importColumns: Column<ImportUsersResult>[] = [
  { key: 'created', header: 'Created', value: (r) => r.created },
  { key: 'existing', header: 'Already there', value: (r) => r.existing.length },
];

/** What an offboarding did. */
export const offboardColumns: Column<OffboardUserResult>[] = [
  { key: 'id', header: 'User', value: (r) => r.user.id },
  { key: 'status', header: 'Status', value: (r) => r.user.status },
  { key: 'devicesRetired', header: 'Devices retired', value: (r) => r.devicesRetired },
  { key: 'eventsDeleted', header: 'Events deleted', value: (r) => r.eventsDeleted },
  { key: 'eventsAnonymized', header: 'Events anonymized', value: (r) => r.eventsAnonymized },
  { key: 'erasedAt', header: 'Personal data erased', value: (r, c) => timestampCell(r.user.erasedAt, c) },
];
