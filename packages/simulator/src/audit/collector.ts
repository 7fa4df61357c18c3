import { randomUUID } from 'node:crypto';
import {
  AUDIT_CATEGORIES,
  type AuditCategory,
  CATEGORY_PERMISSION,
  type ConsentGrants,
  type ConsentPermission,
  type DeviceEventInput,
  parseDuration,
} from '@fleetops/protocol';
import type { GeneratedDevice } from '../facts';
import type { PolicySettings } from '../policy';
import { Random } from '../random';
import { delay } from '../timing';
import type { Clock } from './clock';
import { type ConsentChange, ConsentDecisions } from './consent';
import { GateHistory } from './gates';
import { DAY, MINUTE, Routine } from './routine';
import { createSources, type DeviceView, type EventData, type Source, type Sources } from './sources';

/** How often a category is uploaded when the policy does not say. */
export const DEFAULT_UPLOAD_INTERVAL_MS = 5 * MINUTE;
/**
 * How long past a category's upload interval a device keeps events it could not upload (its own
 * time): its log rotates older ones out, so a device that cannot upload holds a bounded backlog.
 */
export const MAX_BACKLOG_MS = 3 * DAY;
/** The longest a timer may wait in Node.js. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export type AuditSettings = PolicySettings['audit'];

export interface AuditCollectorOptions {
  device: GeneratedDevice;
  /** The device's apps and restrictions as they are now. */
  view: DeviceView;
  clock: Clock;
  /** The user's permission grants to start from. */
  grants: ConsentGrants;
  /** The audit settings of the policy the device runs; undefined before it runs one. */
  policy: AuditSettings | undefined;
  /** Whether the user withdraws and grants permissions again by themselves over time (default true). */
  consentChanges?: boolean;
  /** Called for each change of a permission, by the user's own decision or {@link AuditCollector.setPermission}. */
  onConsentChange?: (change: ConsentChange) => void;
}

/** The user's grants, and a number that changes whenever they do: what a check-in reports. */
export interface ConsentReport {
  grants: ConsentGrants;
  version: number;
}

/**
 * What one device collects for audit. A category is collected while the policy the device runs
 * enables it and the user has granted its permission (`CATEGORY_PERMISSION`); the events of its
 * collection time are made when the category is due for upload, so a device holds no events
 * between uploads. Events collected before a permission was withdrawn are still uploaded.
 */
export class AuditCollector {
  readonly routine: Routine;
  private readonly clock: Clock;
  private readonly grants: ConsentGrants;
  private consentVersion = 0;
  private policy: AuditSettings | undefined;
  private readonly sources: Sources;
  private readonly decisions: ConsentDecisions | null;
  private readonly onConsentChange: (change: ConsentChange) => void;
  /** Null until the device starts collecting. */
  private history: GateHistory | null = null;
  /** Per category being collected or with events left to upload: until when its events were made. */
  private readonly collectedUntil = new Map<AuditCategory, number>();
  private readonly dueAt = new Map<AuditCategory, number>();
  private readonly nextEventAt = new Map<AuditCategory, number>();
  private wake: (() => void) | undefined;

  constructor(options: AuditCollectorOptions) {
    this.routine = new Routine(options.device);
    this.clock = options.clock;
    this.grants = { ...options.grants };
    this.policy = options.policy;
    const skew = this.routine.clockSkewMs;
    this.sources = createSources({
      routine: this.routine,
      random: new Random(this.routine.seed, 2),
      device: options.view,
      stamp: (t) => new Date(t + skew).toISOString(),
    });
    this.decisions =
      options.consentChanges === false
        ? null
        : new ConsentDecisions(this.grants, new Random(this.routine.seed, 3));
    this.onConsentChange = options.onConsentChange ?? (() => {});
  }

  get consent(): ConsentReport {
    return { grants: { ...this.grants }, version: this.consentVersion };
  }

  /** Starts collecting now, with the policy and grants the device has. */
  start(): void {
    if (this.history) return;
    const now = this.clock.now();
    this.history = new GateHistory(now, this.openGates());
    this.decisions?.start(now);
    this.schedule(now, now);
  }

  /** The device runs a new policy from now on. */
  setPolicy(policy: AuditSettings | undefined): void {
    this.advanceConsent();
    this.policy = policy;
    this.gatesChanged(this.clock.now());
  }

  /** The user grants or withdraws a permission now; false when it already was so. */
  setPermission(permission: ConsentPermission, granted: boolean): boolean {
    this.advanceConsent();
    if (this.grants[permission] === granted) return false;
    const now = this.clock.now();
    this.grants[permission] = granted;
    this.consentVersion++;
    this.decisions?.start(now);
    this.gatesChanged(now);
    this.onConsentChange({ at: now, permission, granted });
    return true;
  }

  /** Applies the user's own permission changes up to now. */
  advanceConsent(): void {
    if (!this.history || !this.decisions) return;
    for (const change of this.decisions.until(this.clock.now())) {
      this.consentVersion++;
      this.gatesChanged(change.at);
      this.onConsentChange(change);
    }
  }

  /** When the next category is due for upload, in simulated time; Infinity when none is. */
  nextDueAt(): number {
    return Math.min(Number.POSITIVE_INFINITY, ...this.dueAt.values());
  }

  hasDue(): boolean {
    return this.nextDueAt() <= this.clock.now();
  }

  /** Waits until a category is due, or the gates changed; rejects when `signal` aborts. */
  async waitUntilDue(signal: AbortSignal): Promise<void> {
    const wait = this.clock.realMs(this.nextDueAt() - this.clock.now());
    if (wait <= 0) return;
    const woken = new AbortController();
    this.wake = () => woken.abort();
    try {
      await delay(Math.min(wait, MAX_TIMER_MS), AbortSignal.any([signal, woken.signal]));
    } catch (error) {
      if (signal.aborted) throw error;
    } finally {
      this.wake = undefined;
    }
  }

  /**
   * The events of every category due for upload, made up to now, and schedules its next upload;
   * a category no longer collected is not scheduled again once its events are out.
   */
  collectDue(): DeviceEventInput[] {
    const history = this.history;
    if (!history) return [];
    this.advanceConsent();
    const now = this.clock.now();
    const events: DeviceEventInput[] = [];
    for (const category of AUDIT_CATEGORIES) {
      const due = this.dueAt.get(category);
      if (due === undefined || due > now) continue;
      this.collect(category, history, now, events);
      if (history.isOpen(category)) {
        this.dueAt.set(category, now + this.uploadIntervalOf(category));
      } else {
        this.dueAt.delete(category);
        this.collectedUntil.delete(category);
        this.nextEventAt.delete(category);
      }
    }
    history.forgetBefore(Math.min(now, ...this.collectedUntil.values()));
    return events;
  }

  private collect(category: AuditCategory, history: GateHistory, now: number, events: DeviceEventInput[]) {
    const source: Source<AuditCategory> = this.sources[category];
    const oldest = now - this.uploadIntervalOf(category) - MAX_BACKLOG_MS;
    const from = Math.max(this.collectedUntil.get(category) ?? now, oldest);
    let next = this.nextEventAt.get(category);
    for (const [start, end] of history.openSpans(category, from, now)) {
      if (next === undefined || next < start) {
        source.resume?.();
        next = source.nextAfter(start);
      }
      for (; next < end; next = source.nextAfter(next)) {
        for (const data of source.eventsAt(next)) events.push(this.event(category, next, data));
      }
    }
    if (next !== undefined) this.nextEventAt.set(category, next);
    this.collectedUntil.set(category, now);
  }

  private event(category: AuditCategory, at: number, data: EventData<AuditCategory>): DeviceEventInput {
    const occurredAt = new Date(at + this.routine.clockSkewMs).toISOString();
    return { eventId: randomUUID(), occurredAt, category, data } as DeviceEventInput;
  }

  private gatesChanged(at: number): void {
    if (!this.history) return;
    this.history.change(at, this.openGates());
    this.history.forgetBefore(Math.min(at, ...this.collectedUntil.values()));
    this.schedule(at, this.clock.now());
    this.wake?.();
  }

  /** Schedules the upload of each category collected from `at` on. */
  private schedule(at: number, now: number): void {
    for (const category of AUDIT_CATEGORIES) {
      if (!this.history?.isOpen(category)) continue;
      const interval = this.uploadIntervalOf(category);
      const due = this.dueAt.get(category);
      if (due === undefined) {
        this.dueAt.set(category, at + interval);
        if (!this.collectedUntil.has(category)) this.collectedUntil.set(category, at);
      } else {
        this.dueAt.set(category, Math.min(due, now + interval));
      }
    }
  }

  private openGates(): Set<AuditCategory> {
    return new Set(
      AUDIT_CATEGORIES.filter((category) => {
        if (this.policy?.[category]?.enabled !== true) return false;
        const permission = CATEGORY_PERMISSION[category];
        return permission === null || this.grants[permission];
      }),
    );
  }

  private uploadIntervalOf(category: AuditCategory): number {
    const text = this.policy?.[category]?.uploadInterval;
    const seconds = text === undefined ? undefined : parseDuration(text);
    return seconds ? seconds * 1000 : DEFAULT_UPLOAD_INTERVAL_MS;
  }
}
