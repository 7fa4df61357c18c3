import type { DeviceConsent } from '@fleetops/protocol';
import { timestampCell } from '../../output/time';
import type { Column } from '../../output/view';

type CategoryConsent = DeviceConsent['categories'][number];

const yesNo = (value: boolean) => (value ? 'yes' : 'no');

/** One row per audit category: both gates, and what was stored or dropped. */
export const consentColumns: Column<CategoryConsent>[] = [
  { key: 'category', header: 'CATEGORY', value: (c) => c.category },
  { key: 'permission', header: 'PERMISSION', value: (c) => c.permission ?? '-' },
  { key: 'policyEnabled', header: 'POLICY', value: (c) => (c.policyEnabled ? 'on' : 'off') },
  { key: 'permissionGranted', header: 'GRANTED', value: (c) => yesNo(c.permissionGranted) },
  { key: 'collecting', header: 'COLLECTING', value: (c) => yesNo(c.collecting) },
  { key: 'retention', header: 'RETENTION', value: (c) => c.retention },
  { key: 'stored', header: 'STORED', value: (c) => c.stored },
  { key: 'droppedPolicy', header: 'DROPPED (POLICY)', value: (c) => c.dropped.policy },
  { key: 'droppedConsent', header: 'DROPPED (CONSENT)', value: (c) => c.dropped.consent },
  { key: 'lastDroppedAt', header: 'LAST DROPPED', value: (c, ctx) => timestampCell(c.lastDroppedAt, ctx) },
];
