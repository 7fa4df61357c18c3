import { z } from 'zod';
import { GroupName, Label, PageQuery, Timestamp, Uuid } from './common';
import { DeviceStatus, ManagementMode, Os } from './device';

export const DeviceListQuery = PageQuery.extend({
  status: z
    .enum([...DeviceStatus.options, 'all'])
    .optional()
    .describe('Default: active, unless `where` tests status (then the selector alone decides)'),
  os: Os.optional(),
  group: GroupName.optional(),
  label: Label.optional(),
  model: z.string().min(1).max(128).optional().describe('Exact model name, case-insensitive'),
  mode: ManagementMode.optional(),
  ownerId: Uuid.optional().describe('Only devices this user owns'),
  lastSeenBefore: Timestamp.optional().describe('Only devices last seen before this time'),
  lastSeenAfter: Timestamp.optional().describe('Only devices last seen after this time'),
  where: z
    .string()
    .max(2000)
    .optional()
    .describe(
      'Device selector, e.g. `group = sales and lastSeen > 14d` (see docs/selectors.md); combined with the other filters by and',
    ),
});
export type DeviceListQuery = z.input<typeof DeviceListQuery>;

export const PatchDeviceRequest = z
  .object({
    group: GroupName.optional(),
    labels: z.array(Label).max(100).optional().describe('Replaces every label'),
    addLabels: z.array(Label).max(100).optional(),
    removeLabels: z.array(Label).max(100).optional(),
    ownerId: Uuid.nullable().optional().describe('The user who owns the device; null clears it'),
  })
  .refine(
    (p) => Object.values(p).some((v) => v !== undefined),
    'nothing to change: give group, labels or ownerId',
  )
  .refine(
    (p) => !(p.labels && (p.addLabels || p.removeLabels)),
    'give labels, or addLabels/removeLabels, not both',
  );
export type PatchDeviceRequest = z.input<typeof PatchDeviceRequest>;

export const IdParams = z.object({ id: z.uuid({ message: 'not a valid id (expected a UUID)' }) });
