import {
  COMMAND_PARAMS,
  type CommandParams,
  type CommandResultRequest,
  type CommandType,
  type ConsentGrants,
  type DeviceState,
  type InstalledApp,
  type LocationResult,
  RESTRICTION_TOGGLES,
} from '@fleetops/protocol';
import { z } from 'zod';
import type { GeneratedDevice } from './facts';

/** The final result of a command, as reported to the server. */
export type CommandOutcome = z.output<typeof CommandResultRequest> & { status: 'succeeded' | 'failed' };

/** What the device does once it has reported the outcome. */
export type FollowUp =
  /** Checks in at once (sync). */
  | 'check-in'
  /** Goes offline for a moment, then boots and checks in with its full inventory. */
  | 'reboot'
  /** Erases itself: the agent is gone for good. */
  | 'factory-reset'
  /** Removes management: the agent is gone for good. */
  | 'unenroll';

/** What the device is when a command arrives. */
export interface DeviceSituation {
  state: DeviceState;
  apps: readonly InstalledApp[];
  consent: ConsentGrants;
  capabilities: GeneratedDevice['capabilities'];
  location: GeneratedDevice['location'];
  now: Date;
}

/** The effect of a command: its outcome, the new app inventory if it changed, and what follows. */
export interface Execution {
  outcome: CommandOutcome;
  apps?: InstalledApp[];
  followUp?: FollowUp;
}

/** How long a device rings when the command does not say. */
export const DEFAULT_RING_SECONDS = 30;

type Handler<T extends CommandType> = (params: CommandParams<T>, device: DeviceSituation) => Execution;

const succeeded = (extra: Partial<CommandOutcome> = {}): CommandOutcome => ({
  status: 'succeeded',
  ...extra,
});
const failed = (error: string): Execution => ({ outcome: { status: 'failed', error } });

const installed = (device: DeviceSituation, packageId: string) =>
  device.apps.some((app) => app.packageId === packageId);

const handlers: { [T in CommandType]: Handler<T> } = {
  lock: (_, { state }) => ({ outcome: succeeded({ state: { ...state, locked: true } }) }),

  wipe: (params) => ({
    outcome: succeeded({
      result: { keepEsim: params.keepEsim, wipeExternalStorage: params.wipeExternalStorage },
    }),
    followUp: 'factory-reset',
  }),

  reboot: () => ({ outcome: succeeded(), followUp: 'reboot' }),

  locate: (_, { consent, location, now }) => {
    if (!consent.location) return failed('location permission withdrawn by the user');
    const fix: LocationResult = { ...location, at: now.toISOString() };
    return { outcome: succeeded({ result: fix }) };
  },

  ring: (params) => ({
    outcome: succeeded({ result: { rangSeconds: params.durationSeconds ?? DEFAULT_RING_SECONDS } }),
  }),

  message: (params, { state, now }) => {
    const lastMessage = {
      ...(params.title ? { title: params.title } : {}),
      body: params.body,
      at: now.toISOString(),
    };
    return { outcome: succeeded({ state: { ...state, lastMessage } }) };
  },

  'set-restrictions': (params, { state, capabilities }) => {
    if (params.nfc !== undefined && !capabilities.nfc) {
      return failed('this device has no NFC hardware: nfc cannot be set (nothing was changed)');
    }
    const restrictions = { ...state.restrictions };
    for (const name of RESTRICTION_TOGGLES) {
      const value = params[name];
      if (value !== undefined) restrictions[name] = value;
    }
    if (params.forceGps !== undefined) restrictions.forceGps = params.forceGps;
    return { outcome: succeeded({ state: { ...state, restrictions } }) };
  },

  'remove-app': ({ packageId }, device) => {
    if (!installed(device, packageId)) return failed(`app not installed: ${packageId}`);
    return {
      outcome: succeeded(),
      apps: device.apps.filter((app) => app.packageId !== packageId),
    };
  },

  'clear-app-data': ({ packageId }, device) => {
    if (!installed(device, packageId)) return failed(`app not installed: ${packageId}`);
    return { outcome: succeeded() };
  },

  sync: () => ({ outcome: succeeded(), followUp: 'check-in' }),

  retire: () => ({ outcome: succeeded(), followUp: 'unenroll' }),
};

function isKnownType(type: string): type is CommandType {
  return Object.hasOwn(handlers, type);
}

/**
 * Carries out a command on a device. Never throws: a command the device cannot carry out
 * (unknown type, bad parameters, missing app or hardware) gives a `failed` outcome with the reason.
 */
export function executeCommand(
  command: { type: string; params: Record<string, unknown> },
  device: DeviceSituation,
): Execution {
  if (!isKnownType(command.type)) return failed(`unsupported command type: ${command.type}`);
  const parsed = COMMAND_PARAMS[command.type].safeParse(command.params);
  if (!parsed.success) {
    return failed(`invalid ${command.type} parameters: ${z.prettifyError(parsed.error)}`);
  }
  const handler = handlers[command.type] as Handler<CommandType>;
  return handler(parsed.data as never, device);
}
