import { randomUUID } from 'node:crypto';
import {
  type CheckInRequest,
  type CommandResultRequest,
  type ConsentGrants,
  type ConsentPermission,
  type DeviceAppRules,
  type DeviceEventInput,
  type DeviceState,
  type InstalledApp,
  MAX_EVENTS_PER_BATCH,
  type UploadEventsReport,
} from '@fleetops/protocol';
import { type AppScanner, type ScanTrigger, SharedAppScanners } from './app-scan';
import { type Clock, SimulatedTime } from './audit/clock';
import { AuditCollector } from './audit/collector';
import { type CommandTrust, refusalOf } from './command-guard';
import { CommandLedger } from './command-ledger';
import { type CommandOutcome, type DeviceSituation, executeCommand, type FollowUp } from './commands';
import {
  type FleetCounters,
  type FleetEvent,
  newFleetCounters,
  type Operation,
  type StopReason,
} from './events';
import type { GeneratedDevice } from './facts';
import { type AppliedPolicy, applyPolicy, type DevicePolicy } from './policy';
import { backoffDelay, DEFAULT_BACKOFF, delay, jittered } from './timing';
import {
  DeviceApiError,
  type DeviceTransport,
  isCredentialRejected,
  isDeviceDisabled,
  isRetryable,
  type ReceivedCommand,
  rejectionReport,
} from './transport';

/**
 * What a device keeps after enrolling: its id, its secret credential, its org with the org's
 * public key and the generation of its enrollment, to verify every command.
 */
export interface DeviceIdentity extends CommandTrust {
  credential: string;
}

/** Why a device left management by itself, on command: it does not come back after a restart. */
export type Departure = 'wiped' | 'retired';

/** What a device needs to come back as itself after a restart. */
export interface DeviceMemory extends Omit<DeviceIdentity, 'orgId' | 'commandSigningKey'> {
  /** Absent in state files from before commands were signed: such a device enrolls again. */
  orgId?: string;
  commandSigningKey?: string;
  state: DeviceState;
  executed: [string, CommandOutcome][];
  /** Apps removed on command or by a policy, by package id. */
  removedApps: string[];
  /** Apps installed or updated by a policy. */
  addedApps: InstalledApp[];
  /** Absent until the device applied a policy. */
  policy?: AppliedPolicy;
  /** The user's permission grants; absent in state files from before they could change. */
  consent?: ConsentGrants;
  gone?: Departure;
}

/** The requests a device makes: a {@link DeviceTransport}, or a stand-in for one. */
export type DeviceApi = Pick<
  DeviceTransport,
  'enroll' | 'checkIn' | 'poll' | 'reportResult' | 'uploadEvents'
>;

export type AgentStatus =
  | 'idle'
  | 'starting'
  | 'running'
  | 'retired'
  | 'wiped'
  | 'rejected'
  /** Refused with 403 `device_disabled`: its user was disabled or offboarded. */
  | 'disabled'
  | 'stopped';

/** Runs one upload; a fleet passes one that lets only so many devices upload at a time. */
export type UploadSlot = (upload: () => Promise<void>) => Promise<void>;

export interface DeviceAgentOptions {
  device: GeneratedDevice;
  /** Shared by all agents of a fleet. */
  transport: DeviceApi;
  enrollmentToken: string;
  /** A previous enrollment to reuse instead of enrolling again. */
  memory?: DeviceMemory;
  /** How long each long-poll for commands may be held by the server (default 25 s). */
  pollWaitSeconds?: number;
  onEvent?: (event: FleetEvent) => void;
  /** Counters to add to; pass the same object to every agent of a fleet. */
  counters?: FleetCounters;
  /** The time the device's user lives in (default: real time); share one across a fleet. */
  clock?: Clock;
  /** Whether the user withdraws and grants permissions again by themselves over time (default true). */
  consentChanges?: boolean;
  uploadSlot?: UploadSlot;
  /** Where the device gets the blocklist the server sent compiled; pass the same to every agent of a fleet. */
  appScanners?: SharedAppScanners;
}

const DEFAULT_POLL_WAIT_SECONDS = 25;
const DEFAULT_CHECK_IN_INTERVAL_MS = 60_000;
/** An empty poll answered sooner than this is followed by a pause, so a server that ignores `wait` is not flooded. */
const MIN_EMPTY_POLL_MS = 1_000;
const MAX_RETRY_AFTER_MS = 60_000;
/** How long a rebooting device stays offline. */
const REBOOT_OFFLINE_MS = 3_000;
const runNow: UploadSlot = (upload) => upload();

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * One simulated device: enrolls, checks in on the server's interval, long-polls for commands and
 * executes each command id at most once, scans its apps against the blocklist the server sends,
 * and uploads the audit events it collects. Transient
 * failures (network, 5xx) are retried with capped exponential backoff; a retired device (410),
 * refused credential (401) or disabled user (403 `device_disabled`) stops it for good.
 */
export class DeviceAgent {
  status: AgentStatus = 'idle';
  state: DeviceState;
  private identity: DeviceIdentity | null;
  private apps: InstalledApp[];
  private readonly removedApps: Set<string>;
  private readonly addedApps: Map<string, InstalledApp>;
  private appliedPolicy: AppliedPolicy | null;
  /**
   * The blocklist the server sent. Not kept in the state file, which it would swell by its size
   * for each device: the first check-in after a start brings it again.
   */
  private appScanner: AppScanner | null = null;
  /** Why the next scan runs: `login` until a check-in carried a scan since the device (re)started. */
  private scanTrigger: ScanTrigger = 'login';
  private gone: Departure | null;
  private reachable = false;
  /** Set while the device reboots; both loops wait for it. */
  private booting: Promise<void> | null = null;
  private readonly device: GeneratedDevice;
  private readonly transport: DeviceApi;
  private readonly enrollmentToken: string;
  private readonly pollWaitSeconds: number;
  private readonly emit: (event: FleetEvent) => void;
  private readonly counters: FleetCounters;
  private readonly ledger: CommandLedger;
  private readonly controller = new AbortController();
  private checkInIntervalMs = DEFAULT_CHECK_IN_INTERVAL_MS;
  private inventoryReported = false;
  private appsChanged = false;
  /** The consent version the server last received; -1 before any. */
  private reportedConsentVersion = -1;
  private readonly audit: AuditCollector;
  private readonly uploadSlot: UploadSlot;
  private readonly appScanners: SharedAppScanners;
  private loops: Promise<unknown> = Promise.resolve();

  constructor(options: DeviceAgentOptions) {
    this.device = options.device;
    this.transport = options.transport;
    this.enrollmentToken = options.enrollmentToken;
    this.pollWaitSeconds = options.pollWaitSeconds ?? DEFAULT_POLL_WAIT_SECONDS;
    this.emit = options.onEvent ?? (() => {});
    this.counters = options.counters ?? newFleetCounters();
    const memory = options.memory;
    this.identity =
      memory?.orgId && memory.commandSigningKey
        ? {
            deviceId: memory.deviceId,
            credential: memory.credential,
            orgId: memory.orgId,
            enrollmentGeneration: memory.enrollmentGeneration,
            commandSigningKey: memory.commandSigningKey,
          }
        : null;
    this.state = memory ? { ...memory.state } : { ...options.device.state };
    this.ledger = new CommandLedger(memory?.executed);
    this.removedApps = new Set(memory?.removedApps);
    this.addedApps = new Map(memory?.addedApps.map((app) => [app.packageId, app]));
    this.apps = [
      ...this.device.apps.filter((app) => !this.addedApps.has(app.packageId)),
      ...this.addedApps.values(),
    ]
      .filter((app) => !this.removedApps.has(app.packageId))
      .sort((a, b) => (a.packageId < b.packageId ? -1 : 1));
    this.appliedPolicy = memory?.policy ?? null;
    this.gone = memory?.gone ?? null;
    if (this.gone) this.status = this.gone;
    this.uploadSlot = options.uploadSlot ?? runNow;
    this.appScanners = options.appScanners ?? new SharedAppScanners();
    this.audit = new AuditCollector({
      device: this.device,
      view: { apps: () => this.apps, restrictions: () => this.state.restrictions },
      clock: options.clock ?? new SimulatedTime(),
      grants: memory?.consent ?? this.device.consent,
      policy: this.appliedPolicy?.settings.audit,
      consentChanges: options.consentChanges,
      onConsentChange: ({ permission, granted }) =>
        this.emit({
          type: 'consent-changed',
          index: this.index,
          deviceId: this.deviceId,
          permission,
          granted,
        }),
    });
  }

  /** Whether the last request reached the server and the device is not rebooting. */
  get online(): boolean {
    return this.reachable && !this.booting;
  }

  get index(): number {
    return this.device.index;
  }

  get deviceId(): string | null {
    return this.identity?.deviceId ?? null;
  }

  /** The policy the device runs, with the fields it could not apply; null before it applied one. */
  get policy(): AppliedPolicy | null {
    return this.appliedPolicy;
  }

  /** The permissions the device's user grants now. */
  get consent(): ConsentGrants {
    return this.audit.consent.grants;
  }

  /** How far the device's clock is off, in milliseconds (0 on most devices). */
  get clockSkewMs(): number {
    return this.audit.routine.clockSkewMs;
  }

  /**
   * The user grants or withdraws a permission, as in the phone's settings: collection of its
   * categories stops or starts now; the next check-in reports it, before the next upload.
   */
  changeConsent(permission: ConsentPermission, granted: boolean): void {
    this.audit.setPermission(permission, granted);
  }

  /**
   * Brings the device up: reuses its stored identity, or enrolls (again, when the stored credential
   * is refused), then checks in once and keeps running in the background. Resolves true once that
   * first check-in succeeded, false when the device cannot join or was stopped meanwhile.
   */
  async start(): Promise<boolean> {
    if (this.controller.signal.aborted || this.gone) return false;
    if (this.status !== 'idle') throw new Error(`device ${this.index} was already started`);
    this.status = 'starting';
    try {
      if (this.identity && !(await this.restore())) this.identity = null;
      if (!this.identity) {
        await this.enroll();
        await this.checkIn();
      }
    } catch (error) {
      if (this.controller.signal.aborted) return false;
      const reason = isDeviceDisabled(error)
        ? 'disabled'
        : this.identity
          ? 'request-refused'
          : 'enrollment-refused';
      this.halt(error, reason);
      return false;
    }
    if (this.controller.signal.aborted) return false;
    this.status = 'running';
    this.audit.start();
    this.loops = Promise.all([this.checkInLoop(), this.pollLoop(), this.uploadLoop()]);
    return true;
  }

  /** Stops the device: pending requests and timers end at once. */
  async stop(): Promise<void> {
    if (this.status === 'idle' || this.status === 'starting' || this.status === 'running') {
      this.status = 'stopped';
    }
    this.controller.abort();
    await this.loops;
  }

  /** Whether the device left management on command (wipe, retire) and stays gone. */
  get departed(): boolean {
    return this.gone !== null;
  }

  /** What to store to bring this device back as itself (or keep it gone); null before it enrolled. */
  memory(): DeviceMemory | null {
    if (!this.identity) return null;
    return {
      ...this.identity,
      state: { ...this.state },
      executed: this.ledger.done(),
      removedApps: [...this.removedApps],
      addedApps: [...this.addedApps.values()],
      ...(this.appliedPolicy ? { policy: this.appliedPolicy } : {}),
      consent: this.consent,
      ...(this.gone ? { gone: this.gone } : {}),
    };
  }

  private async restore(): Promise<boolean> {
    try {
      await this.checkIn();
    } catch (error) {
      if (!isCredentialRejected(error)) throw error;
      this.emit({
        type: 'credential-rejected',
        index: this.index,
        deviceId: this.identity!.deviceId,
        message: messageOf(error),
      });
      return false;
    }
    this.emit({
      type: 'restored',
      index: this.index,
      deviceId: this.identity!.deviceId,
      serial: this.serial,
    });
    return true;
  }

  private async enroll(): Promise<void> {
    // The same id on every retry: if an answer is lost, the server returns the same device.
    const requestId = randomUUID();
    const answer = await this.withRetry('enroll', () =>
      this.transport.enroll(
        { enrollmentToken: this.enrollmentToken, facts: this.device.facts, requestId },
        this.controller.signal,
      ),
    );
    this.identity = {
      deviceId: answer.deviceId,
      credential: answer.credential,
      orgId: answer.org.id,
      enrollmentGeneration: answer.enrollmentGeneration,
      commandSigningKey: answer.commandSigningKey,
    };
    this.state = { ...this.device.state };
    // A new enrollment starts from the device's own settings: its policy comes again.
    this.appliedPolicy = null;
    this.audit.setPolicy(undefined);
    // Likewise the blocklist: the first check-in brings the new org's.
    this.appScanner = null;
    this.scanTrigger = 'login';
    this.checkInIntervalMs = answer.checkInIntervalSeconds * 1000;
    this.inventoryReported = false;
    this.emit({ type: 'enrolled', index: this.index, deviceId: answer.deviceId, serial: this.serial });
  }

  /**
   * Sends the state and the policy it runs, plus facts, apps and consent the first time after
   * (re)starting or booting, the apps whenever a command or a policy changed them and the consent
   * whenever the user changed it. Once the server sent a blocklist, each check-in carries a scan
   * of the installed apps against it, as the client does when its user logs in. A policy other
   * than the one it runs is applied, and a new blocklist scanned against, and either is reported
   * at once in another check-in.
   */
  private async checkIn(): Promise<void> {
    const body: CheckInRequest = { state: this.state };
    const appScan = this.appScanner?.scan(this.apps, this.scanTrigger, new Date());
    if (appScan) body.appScan = appScan;
    if (this.appliedPolicy) {
      body.policy = { hash: this.appliedPolicy.hash, failures: this.appliedPolicy.failures };
    }
    if (!this.inventoryReported) body.facts = this.device.facts;
    this.audit.advanceConsent();
    const consent = this.audit.consent;
    if (!this.inventoryReported || consent.version !== this.reportedConsentVersion)
      body.consent = consent.grants;
    if (!this.inventoryReported || this.appsChanged) body.apps = this.apps;
    const answer = await this.withRetry('check-in', () =>
      this.transport.checkIn(this.credential, body, this.controller.signal),
    );
    this.inventoryReported = true;
    if (appScan) this.scanTrigger = 'check-in';
    if (body.consent) this.reportedConsentVersion = Math.max(this.reportedConsentVersion, consent.version);
    if (body.apps === this.apps) this.appsChanged = false;
    this.counters.checkIns++;
    this.checkInIntervalMs = answer.checkInIntervalSeconds * 1000;
    await this.handleCommands(answer.commands);
    if (this.controller.signal.aborted) return;
    const newRules = this.adoptAppRules(answer.appRules);
    // No policy for the device leaves it running the one it has: nothing tells it what to undo.
    const newPolicy = answer.policy && answer.policy.hash !== this.appliedPolicy?.hash ? answer.policy : null;
    if (newPolicy) this.applyPolicy(newPolicy);
    if (newRules || newPolicy) await this.checkIn();
  }

  /** Keeps a blocklist other than the one the device holds; true when it did. */
  private adoptAppRules(rules: DeviceAppRules | undefined): boolean {
    if (!rules || rules.hash === this.appScanner?.hash) return false;
    this.appScanner = this.appScanners.scannerFor(rules);
    return true;
  }

  private applyPolicy(policy: DevicePolicy): void {
    const { state, apps, failures } = applyPolicy(policy.settings, {
      facts: this.device.facts,
      capabilities: this.device.capabilities,
      store: this.device.store,
      state: this.state,
      apps: this.apps,
    });
    this.state = state;
    this.replaceApps(apps);
    this.appliedPolicy = { hash: policy.hash, settings: policy.settings, failures };
    this.audit.setPolicy(policy.settings.audit);
    this.counters.policiesApplied++;
    this.emit({
      type: 'policy-applied',
      index: this.index,
      deviceId: this.enrolledDeviceId,
      hash: policy.hash,
      failures: failures.length,
    });
  }

  private async checkInLoop(): Promise<void> {
    const signal = this.controller.signal;
    while (!signal.aborted) {
      try {
        await delay(jittered(this.checkInIntervalMs), signal);
        if (this.booting) await this.booting;
        await this.checkIn();
      } catch (error) {
        this.onLoopError(error, 'check-in');
      }
    }
  }

  private async pollLoop(): Promise<void> {
    const signal = this.controller.signal;
    let failures = 0;
    while (!signal.aborted) {
      const startedAt = performance.now();
      try {
        if (this.booting) await this.booting;
        const commands = await this.transport.poll(this.credential, this.pollWaitSeconds, signal);
        this.reachable = true;
        failures = 0;
        await this.handleCommands(commands);
        const elapsed = performance.now() - startedAt;
        if (commands.length === 0 && elapsed < MIN_EMPTY_POLL_MS) {
          await delay(jittered(MIN_EMPTY_POLL_MS - elapsed), signal);
        }
      } catch (error) {
        const retryInMs = this.retryDelay(error, failures++);
        this.onLoopError(error, 'poll', retryInMs);
        await delay(retryInMs, signal).catch(() => {});
      }
    }
  }

  /**
   * Uploads the audit events of each category when it is due: first a check-in when the user
   * changed a permission since the last one, so the server gates the events by the new consent.
   */
  private async uploadLoop(): Promise<void> {
    const signal = this.controller.signal;
    let failures = 0;
    while (!signal.aborted) {
      try {
        await this.audit.waitUntilDue(signal);
        if (this.booting) await this.booting;
        if (!this.audit.hasDue()) continue;
        await this.uploadSlot(() => (signal.aborted ? Promise.resolve() : this.uploadDue()));
        failures = 0;
      } catch (error) {
        const retryInMs = this.retryDelay(error, failures++);
        this.onLoopError(error, 'upload', retryInMs);
        await delay(retryInMs, signal).catch(() => {});
      }
    }
  }

  private async uploadDue(): Promise<void> {
    this.audit.advanceConsent();
    if (this.audit.consent.version !== this.reportedConsentVersion) await this.checkIn();
    const events = this.audit.collectDue();
    this.counters.eventsGenerated += events.length;
    for (let i = 0; i < events.length && !this.controller.signal.aborted; i += MAX_EVENTS_PER_BATCH) {
      await this.upload(events.slice(i, i + MAX_EVENTS_PER_BATCH));
    }
  }

  /**
   * Uploads one batch, retrying transient failures with the same event ids (the server keeps an
   * event once). Events the server refuses are counted and dropped, never sent again.
   */
  private async upload(events: DeviceEventInput[]): Promise<void> {
    const deviceId = this.enrolledDeviceId;
    let report: UploadEventsReport;
    try {
      report = await this.withRetry('upload', () =>
        this.transport.uploadEvents(this.credential, { deviceId, events }, this.controller.signal),
      );
    } catch (error) {
      if (this.controller.signal.aborted || isCredentialRejected(error) || isDeviceDisabled(error))
        throw error;
      const rejected = rejectionReport(error);
      if (!rejected) {
        this.counters.eventsRejected += events.length;
        this.recordError('upload', error);
        return;
      }
      report = rejected;
      this.emit({
        type: 'events-rejected',
        index: this.index,
        deviceId,
        count: report.rejected.length,
        message: describeRejections(report),
      });
    }
    this.counters.uploads++;
    this.counters.eventsRejected += report.rejected.length;
    this.counters.eventsUploaded += events.length - report.rejected.length;
    this.counters.eventsDropped += report.dropped.reduce((sum, drop) => sum + drop.count, 0);
  }

  private onLoopError(error: unknown, operation: Operation, retryInMs?: number): void {
    if (this.controller.signal.aborted) return;
    if (isCredentialRejected(error)) {
      this.halt(error, error.status === 410 ? 'retired' : 'unauthorized');
      return;
    }
    if (isDeviceDisabled(error)) {
      this.halt(error, 'disabled');
      return;
    }
    this.recordError(operation, error, retryInMs);
  }

  private async handleCommands(commands: readonly ReceivedCommand[]): Promise<void> {
    for (const command of commands) {
      // A wipe or retire earlier in the batch: nothing is left to run the rest.
      if (this.controller.signal.aborted) return;
      await this.handleCommand(command);
    }
  }

  /**
   * Executes a command once; a redelivered command gets its stored result reported again. A
   * command that is not signed by the device's org for this enrollment, or has expired, is
   * refused (reported failed) without being executed.
   */
  private async handleCommand(command: ReceivedCommand): Promise<void> {
    const known = this.ledger.lookup(command.id);
    if (known.kind === 'running') return;
    if (known.kind === 'done') {
      await this.report(command.id, this.reportedAgain(known.outcome));
      return;
    }
    this.ledger.begin(command.id);
    const refusal = refusalOf(command, this.trust, new Date());
    if (refusal !== undefined) {
      await this.refuse(command, refusal);
      return;
    }
    if (!(await this.report(command.id, { status: 'acknowledged' }))) {
      this.ledger.forget(command.id);
      return;
    }
    const { outcome, apps, followUp } = executeCommand(command, this.situation());
    if (outcome.state) this.state = outcome.state;
    if (apps) this.replaceApps(apps);
    this.ledger.finish(command.id, outcome);
    this.counters.commandsExecuted++;
    this.emit({
      type: 'command-executed',
      index: this.index,
      deviceId: this.enrolledDeviceId,
      commandId: command.id,
      commandType: command.type,
      status: outcome.status,
      ...(outcome.error === undefined ? {} : { error: outcome.error }),
    });
    await this.report(command.id, outcome);
    if (followUp) await this.follow(followUp);
  }

  /**
   * A stored outcome as reported again: the same status, error and result, with the state the
   * device has now, since the server takes a reported state as the current one.
   */
  private reportedAgain(outcome: CommandOutcome): CommandOutcome {
    return outcome.state ? { ...outcome, state: this.state } : outcome;
  }

  private async refuse(command: ReceivedCommand, reason: string): Promise<void> {
    const outcome: CommandOutcome = { status: 'failed', error: reason };
    this.ledger.finish(command.id, outcome);
    this.emit({
      type: 'command-refused',
      index: this.index,
      deviceId: this.enrolledDeviceId,
      commandId: command.id,
      commandType: command.type,
      reason,
    });
    await this.report(command.id, outcome);
  }

  private async follow(followUp: FollowUp): Promise<void> {
    switch (followUp) {
      case 'check-in':
        return this.checkIn();
      case 'reboot':
        return this.reboot();
      case 'factory-reset':
        return this.depart('wiped', 'wiped on command: factory reset');
      case 'unenroll':
        return this.depart('retired', 'retired on command: management removed');
    }
  }

  /** Goes offline for a moment, then boots and checks in with its full inventory. */
  private async reboot(): Promise<void> {
    const offlineMs = jittered(REBOOT_OFFLINE_MS);
    this.booting = delay(offlineMs, this.controller.signal).catch(() => {});
    this.emit({
      type: 'rebooting',
      index: this.index,
      deviceId: this.enrolledDeviceId,
      offlineMs: Math.round(offlineMs),
    });
    await this.booting;
    this.booting = null;
    if (this.controller.signal.aborted) return;
    this.inventoryReported = false;
    this.scanTrigger = 'login';
    await this.checkIn();
    this.emit({ type: 'rebooted', index: this.index, deviceId: this.enrolledDeviceId });
  }

  /** Leaves management for good: the device stops and stays gone after a restart. */
  private depart(gone: Departure, message: string): void {
    this.gone = gone;
    this.status = gone;
    if (gone === 'wiped') this.state = { ...this.device.state };
    this.reachable = false;
    this.controller.abort();
    this.emit({
      type: 'stopped',
      index: this.index,
      deviceId: this.deviceId,
      reason: gone === 'wiped' ? 'wiped' : 'unenrolled',
      message,
    });
  }

  /** Takes `apps` as the inventory, remembering what was removed and what was installed. */
  private replaceApps(apps: InstalledApp[]): void {
    const kept = new Set(apps.map((app) => app.packageId));
    for (const app of this.apps) {
      if (kept.has(app.packageId)) continue;
      this.removedApps.add(app.packageId);
      this.addedApps.delete(app.packageId);
    }
    const before = new Map(this.apps.map((app) => [app.packageId, app]));
    for (const app of apps) {
      if (before.get(app.packageId) === app) continue;
      this.removedApps.delete(app.packageId);
      this.addedApps.set(app.packageId, app);
      if (this.scanTrigger !== 'login') this.scanTrigger = 'install';
    }
    this.apps = apps;
    this.appsChanged = true;
  }

  private situation(): DeviceSituation {
    return {
      state: this.state,
      apps: this.apps,
      consent: this.consent,
      capabilities: this.device.capabilities,
      location: this.device.location,
      now: new Date(),
    };
  }

  /**
   * Reports a command result, retrying transient failures. Returns false when the server refused
   * the report (e.g. the command was canceled meanwhile); a refused credential or a stop throws.
   */
  private async report(commandId: string, result: CommandResultRequest): Promise<boolean> {
    try {
      await this.withRetry('report', () =>
        this.transport.reportResult(this.credential, commandId, result, this.controller.signal),
      );
      return true;
    } catch (error) {
      if (this.controller.signal.aborted || isCredentialRejected(error) || isDeviceDisabled(error))
        throw error;
      this.recordError('report', error);
      return false;
    }
  }

  /** Runs `call` until it succeeds or fails for a reason that retrying cannot fix. */
  private async withRetry<T>(operation: Operation, call: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        const result = await call();
        this.reachable = true;
        return result;
      } catch (error) {
        if (this.controller.signal.aborted || !isRetryable(error)) throw error;
        const retryInMs = this.retryDelay(error, attempt);
        this.recordError(operation, error, retryInMs);
        await delay(retryInMs, this.controller.signal);
      }
    }
  }

  private retryDelay(error: unknown, attempt: number): number {
    const backoff = backoffDelay(attempt, DEFAULT_BACKOFF);
    const retryAfter = error instanceof DeviceApiError ? (error.retryAfterMs ?? 0) : 0;
    return Math.max(backoff, Math.min(retryAfter, MAX_RETRY_AFTER_MS));
  }

  private recordError(operation: Operation, error: unknown, retryInMs?: number): void {
    this.counters.errors++;
    if (isRetryable(error)) this.reachable = false;
    this.emit({
      type: 'error',
      index: this.index,
      deviceId: this.deviceId,
      operation,
      message: messageOf(error),
      ...(retryInMs === undefined ? {} : { retryInMs: Math.round(retryInMs) }),
    });
  }

  /** Stops for good after the server refused the device. */
  private halt(error: unknown, reason: StopReason): void {
    this.status = reason === 'retired' || reason === 'disabled' ? reason : 'rejected';
    this.reachable = false;
    this.controller.abort();
    this.emit({
      type: 'stopped',
      index: this.index,
      deviceId: this.deviceId,
      reason,
      message: messageOf(error),
    });
  }

  private get trust(): CommandTrust {
    if (!this.identity) throw new Error(`device ${this.index} is not enrolled`);
    return this.identity;
  }

  private get credential(): string {
    if (!this.identity) throw new Error(`device ${this.index} is not enrolled`);
    return this.identity.credential;
  }

  private get enrolledDeviceId(): string {
    if (!this.identity) throw new Error(`device ${this.index} is not enrolled`);
    return this.identity.deviceId;
  }

  get serial(): string {
    return this.device.facts.serial;
  }
}

/** The first rejected event of an upload report, as one line, and how many more there were. */
function describeRejections(report: UploadEventsReport): string {
  const [first, ...more] = report.rejected;
  if (!first) return 'no event rejected';
  const which = first.eventId ? `event ${first.eventId}` : `item ${first.index}`;
  return `${which}: ${first.code}: ${first.message}${more.length > 0 ? ` (and ${more.length} more)` : ''}`;
}
