export {
  type AgentStatus,
  type Departure,
  DeviceAgent,
  type DeviceAgentOptions,
  type DeviceApi,
  type DeviceIdentity,
  type DeviceMemory,
  type UploadSlot,
} from './agent';
export { type AppFinding, AppScanner, type ScanTrigger, SharedAppScanners } from './app-scan';
export { type Clock, SimulatedTime } from './audit/clock';
export { type CommandTrust, SIGNATURE_REFUSAL } from './command-guard';
export type { CommandOutcome } from './commands';
export type { FleetCounters, FleetEvent, Operation, StopReason } from './events';
export { type GeneratedDevice, generateDevice, MAX_APPS, MIN_APPS } from './facts';
export { type FleetDevice, type FleetOptions, type FleetStats, type RunningFleet, startFleet } from './fleet';
export { isLuhnValid } from './identifiers';
export type { AppliedPolicy, DevicePolicy, PolicyFailure } from './policy';
export { DeviceApiError, DeviceTransport, type TransportOptions } from './transport';
