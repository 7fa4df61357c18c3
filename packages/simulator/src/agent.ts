import { randomUUID } from 'node:crypto';
import type { CheckInRequest, CommandResultRequest, DeviceState } from '@fleetops/protocol';
import { CommandLedger } from './command-ledger';
import { type CommandOutcome, executeCommand } from './commands';
import type { FleetCounters, FleetEvent, Operation, StopReason } from './events';
import type { GeneratedDevice } from './facts';
import { backoffDelay, DEFAULT_BACKOFF, delay, jittered } from './timing';
import {
  DeviceApiError,
  type DeviceTransport,
  isCredentialRejected,
  isRetryable,
  type ReceivedCommand,
} from './transport';

/** What a device keeps after enrolling: its id and its secret credential. */
export interface DeviceIdentity {
  deviceId: string;
  credential: string;
}

/** What a device needs to come back as itself after a restart. */
export interface DeviceMemory extends DeviceIdentity {
  state: DeviceState;
  executed: [string, CommandOutcome][];
}

export type AgentStatus = 'idle' | 'starting' | 'running' | 'retired' | 'rejected' | 'stopped';

export interface DeviceAgentOptions {
  device: GeneratedDevice;
  /** Shared by all agents of a fleet. */
  transport: DeviceTransport;
  enrollmentToken: string;
  /** A previous enrollment to reuse instead of enrolling again. */
  memory?: DeviceMemory;
  /** How long each long-poll for commands may be held by the server (default 25 s). */
  pollWaitSeconds?: number;
  onEvent?: (event: FleetEvent) => void;
  /** Counters to add to; pass the same object to every agent of a fleet. */
  counters?: FleetCounters;
}

const DEFAULT_POLL_WAIT_SECONDS = 25;
const DEFAULT_CHECK_IN_INTERVAL_MS = 60_000;
/** An empty poll answered sooner than this is followed by a pause, so a server that ignores `wait` is not flooded. */
const MIN_EMPTY_POLL_MS = 1_000;
const MAX_RETRY_AFTER_MS = 60_000;

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * One simulated device: enrolls, checks in on the server's interval, long-polls for commands and
 * executes each command id at most once. Transient failures (network, 5xx) are retried with
 * capped exponential backoff; a retired device (410) or refused credential (401) stops for good.
 */
export class DeviceAgent {
  status: AgentStatus = 'idle';
  /** Whether the last request reached the server. */
  online = false;
  state: DeviceState;
  private identity: DeviceIdentity | null;
  private readonly device: GeneratedDevice;
  private readonly transport: DeviceTransport;
  private readonly enrollmentToken: string;
  private readonly pollWaitSeconds: number;
  private readonly emit: (event: FleetEvent) => void;
  private readonly counters: FleetCounters;
  private readonly ledger: CommandLedger;
  private readonly controller = new AbortController();
  private checkInIntervalMs = DEFAULT_CHECK_IN_INTERVAL_MS;
  private inventoryReported = false;
  private loops: Promise<unknown> = Promise.resolve();

  constructor(options: DeviceAgentOptions) {
    this.device = options.device;
    this.transport = options.transport;
    this.enrollmentToken = options.enrollmentToken;
    this.pollWaitSeconds = options.pollWaitSeconds ?? DEFAULT_POLL_WAIT_SECONDS;
    this.emit = options.onEvent ?? (() => {});
    this.counters = options.counters ?? { checkIns: 0, commandsExecuted: 0, errors: 0 };
    this.identity = options.memory
      ? { deviceId: options.memory.deviceId, credential: options.memory.credential }
      : null;
    this.state = options.memory ? { ...options.memory.state } : { ...options.device.state };
    this.ledger = new CommandLedger(options.memory?.executed);
  }

  get index(): number {
    return this.device.index;
  }

  get deviceId(): string | null {
    return this.identity?.deviceId ?? null;
  }

  /**
   * Brings the device up: reuses its stored identity, or enrolls (again, when the stored credential
   * is refused), then checks in once and keeps running in the background. Resolves true once that
   * first check-in succeeded, false when the device cannot join or was stopped meanwhile.
   */
  async start(): Promise<boolean> {
    if (this.controller.signal.aborted) return false;
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
      this.halt(error, this.identity ? 'request-refused' : 'enrollment-refused');
      return false;
    }
    if (this.controller.signal.aborted) return false;
    this.status = 'running';
    this.loops = Promise.all([this.checkInLoop(), this.pollLoop()]);
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

  /** What to store to bring this device back as itself; null before it enrolled. */
  memory(): DeviceMemory | null {
    if (!this.identity) return null;
    return { ...this.identity, state: { ...this.state }, executed: this.ledger.done() };
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
    this.identity = { deviceId: answer.deviceId, credential: answer.credential };
    this.state = { ...this.device.state };
    this.checkInIntervalMs = answer.checkInIntervalSeconds * 1000;
    this.inventoryReported = false;
    this.emit({ type: 'enrolled', index: this.index, deviceId: answer.deviceId, serial: this.serial });
  }

  /** Sends the state, plus facts, apps and consent the first time after (re)starting. */
  private async checkIn(): Promise<void> {
    const body: CheckInRequest = { state: this.state };
    if (!this.inventoryReported) {
      body.facts = this.device.facts;
      body.apps = this.device.apps;
      body.consent = this.device.consent;
    }
    const answer = await this.withRetry('check-in', () =>
      this.transport.checkIn(this.credential, body, this.controller.signal),
    );
    this.inventoryReported = true;
    this.counters.checkIns++;
    this.checkInIntervalMs = answer.checkInIntervalSeconds * 1000;
    await this.handleCommands(answer.commands);
  }

  private async checkInLoop(): Promise<void> {
    const signal = this.controller.signal;
    while (!signal.aborted) {
      try {
        await delay(jittered(this.checkInIntervalMs), signal);
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
        const commands = await this.transport.poll(this.credential, this.pollWaitSeconds, signal);
        this.online = true;
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

  private onLoopError(error: unknown, operation: Operation, retryInMs?: number): void {
    if (this.controller.signal.aborted) return;
    if (isCredentialRejected(error)) {
      this.halt(error, error.status === 410 ? 'retired' : 'unauthorized');
      return;
    }
    this.recordError(operation, error, retryInMs);
  }

  private async handleCommands(commands: readonly ReceivedCommand[]): Promise<void> {
    for (const command of commands) await this.handleCommand(command);
  }

  /** Executes a command once; a redelivered command gets its stored result reported again. */
  private async handleCommand(command: ReceivedCommand): Promise<void> {
    const known = this.ledger.lookup(command.id);
    if (known.kind === 'running') return;
    if (known.kind === 'done') {
      await this.report(command.id, known.outcome);
      return;
    }
    this.ledger.begin(command.id);
    if (!(await this.report(command.id, { status: 'acknowledged' }))) {
      this.ledger.forget(command.id);
      return;
    }
    const outcome = executeCommand(command, this.state);
    if (outcome.state) this.state = outcome.state;
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
      if (this.controller.signal.aborted || isCredentialRejected(error)) throw error;
      this.recordError('report', error);
      return false;
    }
  }

  /** Runs `call` until it succeeds or fails for a reason that retrying cannot fix. */
  private async withRetry<T>(operation: Operation, call: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        const result = await call();
        this.online = true;
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
    if (isRetryable(error)) this.online = false;
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
    this.status = reason === 'retired' ? 'retired' : 'rejected';
    this.online = false;
    this.controller.abort();
    this.emit({
      type: 'stopped',
      index: this.index,
      deviceId: this.deviceId,
      reason,
      message: messageOf(error),
    });
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
