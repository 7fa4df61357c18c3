import { RemediationResult } from '@fleetops/protocol';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../errors';
import { remediateRequest } from './remediate';
import { describePlan, isDestructive, planRows } from './remediation-plan';

const DEVICE = (n: number) => `0193a5c0-0000-7000-8000-00000000000${n}`;
const JOB = '7b2e3f4a-5d6c-4b7a-9988-776655443322';

const plan = (overrides: Partial<RemediationResult> = {}) =>
  RemediationResult.parse({
    dryRun: true,
    scanId: '4d3c2b1a-0f9e-4d8c-b7a6-958473625140',
    items: [
      {
        rule: 'no-stalkerware',
        action: 'remove-app',
        command: 'remove-app',
        packageId: 'com.apspy.app',
        deviceIds: [DEVICE(1), DEVICE(2)],
        jobId: null,
      },
      {
        rule: 'no-stalkerware',
        action: 'wipe',
        command: 'retire',
        packageId: null,
        deviceIds: [DEVICE(3)],
        jobId: null,
      },
    ],
    deviceCount: 3,
    alreadyRemediated: 1,
    inGrace: 2,
    ...overrides,
  });

describe('compliance remediate flags', () => {
  it('make the request, leaving out what was not given', () => {
    expect(
      remediateRequest({ rule: 'no-stalkerware', action: 'lock', grace: '24h', maxTargets: 50 }),
    ).toEqual({
      rule: 'no-stalkerware',
      action: 'lock',
      grace: '24h',
      maxTargets: 50,
    });
    expect(remediateRequest({ where: 'group = sales', reason: 'audit', expectCount: 0 })).toEqual({
      where: 'group = sales',
      reason: 'audit',
      expectCount: 0,
    });
  });

  it('refuse --action without --rule, --grace without --action and a bad selector (exit 2)', () => {
    expect(() => remediateRequest({ action: 'lock' })).toThrow('--action needs --rule');
    expect(() => remediateRequest({ rule: 'x', grace: '1d' })).toThrow('--grace goes with --action');
    expect(() => remediateRequest({ where: 'colour = red' })).toThrow(UsageError);
  });
});

describe('a remediation plan', () => {
  it('says what it acts on and what it skips', () => {
    expect(describePlan(plan())).toEqual([
      'dry run: 2 jobs for 3 devices; nothing is created',
      'in grace: 2 violations not old enough yet',
      'already done: 1 violation had this step taken by an earlier job',
    ]);
    expect(
      describePlan(plan({ items: [], deviceCount: 0, inGrace: 0, alreadyRemediated: 0, scanId: null })),
    ).toEqual([
      'nothing to remediate: no violation is due for a step',
      'no scan was run yet: run fleetops compliance scan first',
    ]);
  });

  it('is one row per job, with the status of each job created', () => {
    const created = plan({ dryRun: false });
    created.items[1]!.jobId = JOB;
    const rows = planRows(created, new Map([[JOB, { status: 'awaiting_approval' } as never]]));
    expect(rows).toEqual([
      {
        rule: 'no-stalkerware',
        action: 'remove-app',
        command: 'remove-app',
        packageId: 'com.apspy.app',
        devices: 2,
        jobId: null,
        status: null,
      },
      {
        rule: 'no-stalkerware',
        action: 'wipe',
        command: 'retire',
        packageId: null,
        devices: 1,
        jobId: JOB,
        status: 'awaiting_approval',
      },
    ]);
  });

  it('needs confirmation when it locks, wipes or retires, not when it only notifies or removes apps', () => {
    expect(isDestructive(plan())).toBe(true);
    expect(isDestructive(plan({ items: plan().items.slice(0, 1) }))).toBe(false);
  });
});
