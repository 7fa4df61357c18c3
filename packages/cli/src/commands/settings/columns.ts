import { AUDIT_CATEGORIES, DEFAULT_RETENTION } from '@fleetops/protocol';
import type { OrgSettings } from '@fleetops/sdk';
import type { Column } from '../../output/view';

const orOff = (value: number | null) => value ?? 'off';

/** Fields of the org's settings; a setting that is off shows `off`, a retention not set its default. */
export const settingsColumns: Column<OrgSettings>[] = [
  {
    key: 'approvalThreshold',
    header: 'Approval threshold (devices)',
    value: (s) => orOff(s.approvalThreshold),
  },
  {
    key: 'destructiveBudgetPerHour',
    header: 'Destructive budget (per hour)',
    value: (s) => orOff(s.destructiveBudgetPerHour),
  },
  { key: 'retentionAction', header: 'After retention', value: (s) => s.retentionAction },
  ...AUDIT_CATEGORIES.map(
    (category): Column<OrgSettings> => ({
      key: `retention.${category}`,
      header: `Retention: ${category}`,
      value: (s) => s.retention[category] ?? `${DEFAULT_RETENTION} (default)`,
    }),
  ),
];
