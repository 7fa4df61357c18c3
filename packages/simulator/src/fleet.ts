import { type ConsentGrants, type ConsentPermission, MAX_POLL_WAIT_SECONDS } from '@fleetops/protocol';
import pLimit from 'p-limit';
import { type AgentStatus, DeviceAgent } from './agent';
import { SharedAppScanners } from './app-scan';
import { SimulatedTime } from './audit/clock';
import { type FleetCounters, type FleetEvent, newFleetCounters, type StopReason } from './events';
import { generateDevice } from './facts';
import { createStateSaver, type FleetStateFile, loadFleetState, type StateSaver } from './state-file';
import { DeviceTransport } from './transport';

export interface FleetOptions {
  /** Base URL of the server, e.g. `http://127.0.0.1:8420`. */
  serverUrl: string;
  enrollmentToken: string;
  /** How many devices to simulate. */
  devices: number;
  /** Same seed, same device facts (default 1). */
  seed?: number;
  /** JSON file of enrolled devices' ids and credentials, reused on the next start so the same devices come back. */
  stateFile?: string;
  /** How long each long-poll for commands may be held by the server (default 25 s). */
  pollWaitSeconds?: number;
  /** How many devices enroll at the same time (default 16). */
  enrollConcurrency?: number;
  /**
   * How many times faster than real time the devices' users live (default 1): at 3600 an hour of
   * phone use (audit events, permission changes, upload intervals) passes in a second, and event
   * times run ahead of the real time. Check-ins and commands keep the real time.
   */
  auditSpeed?: number;
  /** How many devices upload audit events at the same time (default 32); the others wait their turn. */
  uploadConcurrency?: number;
  /** Whether users withdraw and grant permissions again by themselves over time (default true). */
  consentChanges?: boolean;
  /** Called for enrollments, executed commands, errors and stops, e.g. to print progress lines. */
  onEvent?: (event: FleetEvent) => void;
}

export interface FleetStats {
  /** Devices in the fleet. */
  devices: number;
  /** Devices holding a credential the server has not refused. */
  enrolled: number;
  /** Running devices whose last request reached the server. */
  online: number;
  checkIns: number;
  commandsExecuted: number;
  /** New policies applied, across devices. */
  policiesApplied: number;
  /** Failed requests, including the ones retried. */
  errors: number;
  /** Devices refused because their user was disabled or offboarded (403 `device_disabled`). */
  disabled: number;
  /** Audit events devices collected, counted when they prepare an upload. */
  eventsGenerated: number;
  /** Events the server took in an upload (stored, already stored, or dropped by its gates). */
  eventsUploaded: number;
  /** Of those, the events the server did not store because the policy or the user's consent forbids the category. */
  eventsDropped: number;
  /** Events the server refused as invalid, or in a batch it refused as a whole; never sent again. */
  eventsRejected: number;
  /** Upload requests the server answered. */
  uploads: number;
}

/** One device of the fleet as it is now. */
export interface FleetDevice {
  index: number;
  deviceId: string | null;
  serial: string;
  status: AgentStatus;
  online: boolean;
  locked: boolean;
  /** The permissions its user grants now. */
  consent: ConsentGrants;
}

export interface RunningFleet {
  /**
   * Resolves once every device is enrolled (or restored from the state file) and has checked in once.
   * Rejects when some device could not join (e.g. the enrollment token was refused) or the fleet was
   * stopped first; the devices that did join keep running.
   */
  ready: Promise<void>;
  stats(): FleetStats;
  devices(): FleetDevice[];
  /**
   * The user of device `index` grants or withdraws a permission, as in the phone's settings:
   * collection stops or starts at once, and the next check-in reports it before the next upload.
   */
  changeConsent(index: number, permission: ConsentPermission, granted: boolean): void;
  /** Stops every device, closes all connections and writes the state file. */
  stop(): Promise<void>;
}

const DEFAULT_ENROLL_CONCURRENCY = 16;
const DEFAULT_UPLOAD_CONCURRENCY = 32;
/** Agent statuses of a device no longer managed. */
const gone: ReadonlySet<AgentStatus> = new Set(['retired', 'wiped', 'rejected', 'disabled']);
/** Events after which a device has something new to keep in the state file. */
const saves: ReadonlySet<FleetEvent['type']> = new Set([
  'enrolled',
  'command-executed',
  'policy-applied',
  'consent-changed',
  'stopped',
]);
/** Stops a device chose on command; the others are refusals by the server. */
const departures: ReadonlySet<StopReason> = new Set(['wiped', 'unenrolled']);

/** Starts a simulated fleet of devices against a fleetops server. */
export async function startFleet(options: FleetOptions): Promise<RunningFleet> {
  const seed = options.seed ?? 1;
  validate(options);
  const stored = options.stateFile ? await loadFleetState(options.stateFile) : undefined;
  if (stored && stored.seed !== seed) {
    throw new Error(
      `${options.stateFile} holds devices of seed ${stored.seed}, not ${seed}: use the same seed or another state file`,
    );
  }

  const counters: FleetCounters = newFleetCounters();
  const clock = new SimulatedTime(options.auditSpeed);
  const uploads = pLimit(options.uploadConcurrency ?? DEFAULT_UPLOAD_CONCURRENCY);
  const appScanners = new SharedAppScanners();
  const transport = new DeviceTransport(options.serverUrl, { connections: options.devices * 2 + 8 });
  let saver: StateSaver | undefined;
  let firstRefusal: string | undefined;
  const onEvent = (event: FleetEvent) => {
    if (saves.has(event.type)) saver?.schedule();
    if (event.type === 'stopped' && firstRefusal === undefined && !departures.has(event.reason))
      firstRefusal = `${event.reason}: ${event.message}`;
    if (!options.onEvent) return;
    try {
      options.onEvent(event);
    } catch (error) {
      // A failing listener is the caller's bug: surface it without breaking the device loop.
      queueMicrotask(() => {
        throw error;
      });
    }
  };

  const agents = Array.from({ length: options.devices }, (_, index) => {
    const memory = stored?.devices[index];
    return new DeviceAgent({
      device: generateDevice(seed, index),
      transport,
      enrollmentToken: options.enrollmentToken,
      ...(memory ? { memory } : {}),
      pollWaitSeconds: options.pollWaitSeconds,
      onEvent,
      counters,
      clock,
      consentChanges: options.consentChanges,
      uploadSlot: (upload) => uploads(upload),
      appScanners,
    });
  });

  if (options.stateFile) {
    saver = createStateSaver(options.stateFile, () => collectState(seed, agents, stored));
  }

  let stopping = false;
  const ready = (async () => {
    const limit = pLimit(options.enrollConcurrency ?? DEFAULT_ENROLL_CONCURRENCY);
    const started = await Promise.all(agents.map((agent) => limit(() => agent.start())));
    // A device wiped or retired on command, or whose user is disabled, is out on purpose: not a failure to join.
    const missing = agents.filter(
      (agent, i) => !started[i] && !agent.departed && agent.status !== 'disabled',
    ).length;
    await saver?.flush();
    if (stopping) throw new Error('the fleet was stopped before every device was up');
    if (missing > 0) {
      throw new Error(`${missing} of ${agents.length} devices could not join (${firstRefusal})`);
    }
  })();
  ready.catch(() => {});

  let stopped: Promise<void> | undefined;
  return {
    ready,
    stats: () => ({
      devices: agents.length,
      enrolled: agents.filter((a) => a.deviceId !== null && !gone.has(a.status)).length,
      online: agents.filter((a) => a.status === 'running' && a.online).length,
      disabled: agents.filter((a) => a.status === 'disabled').length,
      ...counters,
    }),
    devices: () =>
      agents.map((agent, index) => ({
        index,
        deviceId: agent.deviceId,
        serial: agent.serial,
        status: agent.status,
        online: agent.online,
        locked: agent.state.locked,
        consent: agent.consent,
      })),
    changeConsent(index, permission, granted) {
      const agent = agents[index];
      if (!agent) throw new RangeError(`no device ${index} in a fleet of ${agents.length}`);
      agent.changeConsent(permission, granted);
    },
    stop() {
      stopping = true;
      stopped ??= (async () => {
        try {
          await Promise.all(agents.map((agent) => agent.stop()));
          await ready.catch(() => {});
          await saver?.flush();
        } finally {
          await transport.close();
        }
      })();
      return stopped;
    },
  };
}

function validate(options: FleetOptions): void {
  if (!Number.isInteger(options.devices) || options.devices < 0) {
    throw new RangeError(`devices must be a whole number >= 0, got ${options.devices}`);
  }
  const wait = options.pollWaitSeconds;
  if (wait !== undefined && (!Number.isInteger(wait) || wait < 0 || wait > MAX_POLL_WAIT_SECONDS)) {
    throw new RangeError(
      `pollWaitSeconds must be a whole number from 0 to ${MAX_POLL_WAIT_SECONDS}, got ${wait}`,
    );
  }
  if (options.enrollConcurrency !== undefined && !(options.enrollConcurrency >= 1)) {
    throw new RangeError(`enrollConcurrency must be at least 1, got ${options.enrollConcurrency}`);
  }
  if (options.uploadConcurrency !== undefined && !(options.uploadConcurrency >= 1)) {
    throw new RangeError(`uploadConcurrency must be at least 1, got ${options.uploadConcurrency}`);
  }
  const speed = options.auditSpeed;
  if (speed !== undefined && !(speed > 0 && Number.isFinite(speed))) {
    throw new RangeError(`auditSpeed must be a number > 0, got ${speed}`);
  }
  if (!URL.canParse(options.serverUrl)) throw new TypeError(`serverUrl is not a URL: ${options.serverUrl}`);
}

/** The state of every enrolled device; devices beyond the current fleet size are kept for a later, larger run. */
function collectState(seed: number, agents: readonly DeviceAgent[], stored: FleetStateFile | undefined) {
  const devices: FleetStateFile['devices'] = {};
  for (const [index, memory] of Object.entries(stored?.devices ?? {})) {
    if (Number(index) >= agents.length) devices[index] = memory;
  }
  for (const agent of agents) {
    const memory = agent.memory();
    if (memory) devices[agent.index] = memory;
  }
  return { version: 1 as const, seed, devices };
}
