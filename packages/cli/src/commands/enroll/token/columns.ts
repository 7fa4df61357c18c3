import type { EnrollmentToken } from '@fleetops/sdk';
import { timestampCell } from '../../../output/time';
import type { Column } from '../../../output/view';

/** Columns of an enrollment token, in a list or on its own. */
export const enrollmentTokenColumns: Column<EnrollmentToken>[] = [
  { key: 'id', header: 'ID', value: (t) => t.id },
  { key: 'prefix', header: 'PREFIX', value: (t) => t.prefix },
  { key: 'group', header: 'GROUP', value: (t) => t.group },
  { key: 'mode', header: 'MODE', value: (t) => t.mode },
  { key: 'status', header: 'STATUS', value: (t) => t.status },
  {
    key: 'uses',
    header: 'USES',
    value: (t) => (t.maxUses === null ? `${t.uses}` : `${t.uses}/${t.maxUses}`),
  },
  { key: 'expiresAt', header: 'EXPIRES', value: (t, c) => timestampCell(t.expiresAt, c) },
];
