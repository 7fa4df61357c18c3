/** The time devices live in: their users' days, the events they make and their upload intervals. */
export interface Clock {
  /** Now, in milliseconds since the epoch, of simulated time. */
  now(): number;
  /** Real milliseconds until `ms` of simulated time have passed. */
  realMs(ms: number): number;
}

/**
 * Simulated time that starts at the real time and runs `speed` times faster: at 60 a user's hour
 * passes in a real minute. Past the start, with a speed above 1, it runs ahead of the real time.
 */
export class SimulatedTime implements Clock {
  private readonly startedAt = Date.now();
  private readonly startedAtMonotonic = performance.now();

  constructor(readonly speed = 1) {
    if (!(speed > 0 && Number.isFinite(speed)))
      throw new RangeError(`speed must be a number > 0, got ${speed}`);
  }

  now(): number {
    return this.startedAt + (performance.now() - this.startedAtMonotonic) * this.speed;
  }

  realMs(ms: number): number {
    return ms / this.speed;
  }
}
