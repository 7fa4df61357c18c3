import type { Job, JobCounts } from '@fleetops/sdk';

/** The id of every job made by {@link jobOf}. */
export const JOB_ID = '0193c2d1-7f3a-7b4c-8d5e-6f708192a3b4';

const noDevices: JobCounts = {
  queued: 0,
  delivered: 0,
  acknowledged: 0,
  succeeded: 0,
  failed: 0,
  expired: 0,
  canceled: 0,
  skipped: 0,
};

/** A job of `counts`, otherwise as the server sends a fresh lock job. */
export function jobOf(counts: Partial<JobCounts>, overrides: Partial<Job> = {}): Job {
  const all = { ...noDevices, ...counts };
  return {
    id: JOB_ID,
    type: 'lock',
    params: {},
    status: 'running',
    reason: null,
    selector: null,
    targetCount: Object.values(all).reduce((a, b) => a + b, 0),
    counts: all,
    unresolved: [],
    createdBy: 'ci-deploy',
    createdAt: '2025-01-02T03:04:05.000Z',
    requiresApproval: false,
    approvedBy: null,
    approvedAt: null,
    approvalExpiresAt: null,
    notBefore: null,
    afterJobId: null,
    canceledBy: null,
    canceledAt: null,
    completedAt: null,
    ttlSeconds: 3600,
    ...overrides,
  };
}
