import type { OrgSettings } from '@fleetops/sdk';
import type { Column } from '../../output/view';

const orOff = (value: number | null) => value ?? 'off';

/** Fields of the org's safety settings; a setting that is off shows `off`. */
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
];
