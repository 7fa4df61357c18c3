import type { NextStep, RemediationAction } from '@fleetops/protocol';

/** How each step reads while it is ahead ("locks in 2 days") and once it is due ("lock due now"). */
const WORDING: Record<RemediationAction | 'retire', { ahead: string; due: string }> = {
  notify: { ahead: 'notified in', due: 'notify due now' },
  lock: { ahead: 'locks in', due: 'lock due now' },
  'remove-app': { ahead: 'app removed in', due: 'app removal due now' },
  wipe: { ahead: 'wiped in', due: 'wipe due now' },
  retire: { ahead: 'retired in', due: 'retire due now' },
};

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * `45 min`, `5 h` (under two days), `2 days`: rounded to the nearest whole unit, so that a step
 * due 5 h after a violation found a moment ago reads `5 h`, not `4 h`.
 */
export function timeLeft(ms: number): string {
  const minutes = Math.max(1, Math.round(ms / MINUTE));
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.round(ms / HOUR);
  if (hours < 48) return `${hours} h`;
  return `${Math.round(ms / DAY)} days`;
}

/** What the step does to the device: a wipe of a BYOD device is a retire. */
export const stepAction = (step: NextStep): RemediationAction | 'retire' =>
  step.byodRetire ? 'retire' : step.action;

/**
 * The next escalation step of a violation, relative to `now`: "locks in 2 days", "wiped in 5 h"
 * (a BYOD device is retired instead), "lock due now"; empty when the ladder has no step left.
 */
export function nextStepText(step: NextStep | null, now: Date): string {
  if (!step) return '';
  const wording = WORDING[stepAction(step)];
  const left = Date.parse(step.dueAt) - now.getTime();
  return left <= 0 ? wording.due : `${wording.ahead} ${timeLeft(left)}`;
}
