import type { ApiToken } from '@fleetops/sdk';
import { timestampCell } from '../../output/time';
import type { Column } from '../../output/view';

/** Columns of an API token, in a list or on its own; never the secret. */
export const apiTokenColumns: Column<ApiToken>[] = [
  { key: 'id', header: 'ID', value: (t) => t.id },
  { key: 'name', header: 'NAME', value: (t) => t.name },
  { key: 'role', header: 'ROLE', value: (t) => t.role },
  { key: 'prefix', header: 'PREFIX', value: (t) => t.prefix },
  { key: 'lastUsedAt', header: 'LAST USED', value: (t, c) => timestampCell(t.lastUsedAt, c) },
  { key: 'revokedAt', header: 'REVOKED', value: (t, c) => timestampCell(t.revokedAt, c) },
];
