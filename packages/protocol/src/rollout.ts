import { z } from 'zod';
import { PageQuery, Timestamp, Uuid } from './common';
import { PolicyName } from './policy';

export const RolloutStatus = z.enum(['running', 'paused', 'halted', 'completed', 'aborted', 'rolled_back']);
export type RolloutStatus = z.infer<typeof RolloutStatus>;

/** Rollout statuses after which nothing more happens. */
export const FINAL_ROLLOUT_STATUSES: readonly RolloutStatus[] = ['completed', 'aborted', 'rolled_back'];

/** How far a wave reaches, counted from the first device: a percent (`10%`) or a device count (`50`). */
export const WaveSize = z
  .string()
  .regex(
    /^(?:(?:100|[1-9]?\d)(?:\.\d+)?%|[1-9]\d{0,6})$/,
    'a wave is a percent such as 10% or a device count such as 50',
  );

export const CreateRolloutRequest = z
  .strictObject({
    waves: z
      .array(WaveSize)
      .min(1)
      .max(20)
      .describe(
        'Cumulative reach of each wave, e.g. 1%, 10%, 50%, 100%; a last wave short of 100% is followed by one',
      ),
    haltOnFailurePercent: z
      .number()
      .min(0)
      .max(100)
      .default(5)
      .describe('Halt when more than this percent of the devices reached so far report failed fields'),
    pauseSeconds: z.number().int().min(0).max(604_800).default(0).describe('Wait between two waves'),
    waveTimeoutSeconds: z
      .number()
      .int()
      .min(10)
      .max(604_800)
      .default(1800)
      .describe('A wave is over when all its devices reported, or after this long'),
  })
  .meta({ id: 'CreateRolloutRequest' });
export type CreateRolloutRequest = z.input<typeof CreateRolloutRequest>;

export const RolloutWave = z
  .object({
    index: z.number().int().nonnegative(),
    size: WaveSize,
    devices: z.number().int().describe('Devices in this wave'),
    releasedAt: Timestamp.nullable(),
    completedAt: Timestamp.nullable(),
    applied: z.number().int().describe('Devices of the wave that report running the new version'),
    failed: z.number().int().describe('Devices of the wave that report failed fields of it'),
    pending: z.number().int().describe('Devices of the wave that have not reported it yet'),
  })
  .meta({ id: 'RolloutWave' });
export type RolloutWave = z.infer<typeof RolloutWave>;

/** A new policy version going out to its devices in waves. */
export const Rollout = z
  .object({
    id: Uuid,
    policy: PolicyName,
    fromVersion: z.number().int().nullable().describe('The version devices ran before (null: none)'),
    toVersion: z.number().int(),
    status: RolloutStatus,
    currentWave: z.number().int().describe('Index of the last wave released; -1 before the first'),
    waves: z.array(RolloutWave),
    totalDevices: z.number().int().describe('Devices of the policy’s groups when the rollout started'),
    failureRate: z.number().describe('Percent of the devices reached so far that report failed fields'),
    haltOnFailurePercent: z.number(),
    pauseSeconds: z.number().int(),
    waveTimeoutSeconds: z.number().int(),
    nextWaveAt: Timestamp.nullable().describe('When the next wave goes out, if scheduled'),
    haltReason: z.string().nullable(),
    createdBy: z.string(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: 'Rollout' });
export type Rollout = z.infer<typeof Rollout>;

export const RolloutIdParams = z.object({ id: Uuid });
export const RolloutListQuery = PageQuery;
