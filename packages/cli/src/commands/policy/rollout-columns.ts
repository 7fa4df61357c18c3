import type { Rollout } from '@fleetops/sdk';
import { timestampCell } from '../../output/time';
import type { Column } from '../../output/view';
import { formatPercent, reached, versionsOf } from './rollout-progress';

/** A rollout as a record: where it is, how its devices fare, and its settings. */
export const rolloutColumns: Column<Rollout>[] = [
  { key: 'id', header: 'ID', value: (r) => r.id },
  { key: 'policy', header: 'POLICY', value: (r) => r.policy },
  { key: 'versions', header: 'VERSIONS', value: (r) => versionsOf(r) },
  { key: 'status', header: 'STATUS', value: (r) => r.status },
  { key: 'wave', header: 'WAVE', value: (r) => `${r.currentWave + 1}/${r.waves.length}` },
  { key: 'waves', header: 'WAVES', value: (r) => r.waves.map((w) => w.size).join(',') },
  { key: 'devices', header: 'DEVICES', value: (r) => r.totalDevices },
  { key: 'applied', header: 'APPLIED', value: (r) => reached(r).applied },
  { key: 'failed', header: 'FAILED', value: (r) => reached(r).failed },
  { key: 'pending', header: 'PENDING', value: (r) => reached(r).pending },
  { key: 'failureRate', header: 'FAILURE RATE', value: (r) => formatPercent(r.failureRate) },
  { key: 'haltOnFailure', header: 'HALT ABOVE', value: (r) => formatPercent(r.haltOnFailurePercent) },
  { key: 'nextWaveAt', header: 'NEXT WAVE', value: (r, c) => timestampCell(r.nextWaveAt, c) },
  { key: 'haltReason', header: 'HALT REASON', value: (r) => r.haltReason },
  { key: 'createdBy', header: 'CREATED BY', value: (r) => r.createdBy },
  { key: 'createdAt', header: 'CREATED', value: (r, c) => timestampCell(r.createdAt, c) },
];
