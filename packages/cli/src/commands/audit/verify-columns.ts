import type { ActivityVerifyResult } from '@fleetops/protocol';
import type { Column } from '../../output/view';

/** Fields of a verification, for CSV: the JSON formats print the result as it is. */
export const verifyColumns: Column<ActivityVerifyResult>[] = [
  { key: 'ok', header: 'OK', value: (r) => r.ok },
  { key: 'entries', header: 'Entries', value: (r) => r.entries },
  { key: 'headSeq', header: 'Head', value: (r) => r.head?.seq },
  { key: 'headHash', header: 'Head hash', value: (r) => r.head?.hash },
  { key: 'checkpoints', header: 'Checkpoints', value: (r) => r.checkpoints },
  { key: 'latestCheckpoint', header: 'Latest checkpoint', value: (r) => r.latestCheckpoint?.number },
  { key: 'brokenSeq', header: 'Broken at', value: (r) => r.broken?.seq },
  { key: 'brokenKind', header: 'Break', value: (r) => r.broken?.kind },
  { key: 'message', header: 'Message', value: (r) => r.broken?.message },
];
