import { type ConsentGrants, ConsentPermission } from '@fleetops/protocol';
import type { Random } from '../random';
import { HOUR } from './routine';

/** How often a user withdraws one granted permission, per permission: about once in six weeks. */
export const WITHDRAWALS_PER_HOUR = 0.001;
/** How often a user grants a withdrawn permission again, per permission: after about four days. */
export const REGRANTS_PER_HOUR = 0.01;

/** A user changed one permission at `at`. */
export interface ConsentChange {
  at: number;
  permission: ConsentPermission;
  granted: boolean;
}

/**
 * A user's permission grants over time: now and then they withdraw one, and mostly grant it again
 * a few days later. Each permission flips on its own, at a rate that depends on whether it is
 * granted (a Poisson process, so the next change can be drawn afresh after any change).
 */
export class ConsentDecisions {
  private nextChangeAt = Number.POSITIVE_INFINITY;

  constructor(
    private readonly grants: ConsentGrants,
    private readonly random: Random,
  ) {}

  /** Starts the user's decisions at `at`. */
  start(at: number): void {
    this.nextChangeAt = at + this.random.exponential(HOUR / this.totalRate());
  }

  /** The user's changes up to `to`, applied to the grants, in order. */
  until(to: number): ConsentChange[] {
    const changes: ConsentChange[] = [];
    while (this.nextChangeAt <= to) {
      const at = this.nextChangeAt;
      const permission = this.pickPermission();
      this.grants[permission] = !this.grants[permission];
      changes.push({ at, permission, granted: this.grants[permission] });
      this.nextChangeAt = at + this.random.exponential(HOUR / this.totalRate());
    }
    return changes;
  }

  private rateOf(permission: ConsentPermission): number {
    return this.grants[permission] ? WITHDRAWALS_PER_HOUR : REGRANTS_PER_HOUR;
  }

  private totalRate(): number {
    return ConsentPermission.options.reduce((sum, p) => sum + this.rateOf(p), 0);
  }

  private pickPermission(): ConsentPermission {
    return this.random.pickWeighted(
      ConsentPermission.options.map((value) => ({ value, weight: this.rateOf(value) })),
    );
  }
}
