import {
  type CommandResultRequest,
  type CommandType,
  type DeviceState,
  LockParams,
} from '@fleetops/protocol';
import type { ReceivedCommand } from './transport';

/** The final result of a command, as reported to the server. */
export type CommandOutcome = CommandResultRequest & { status: 'succeeded' | 'failed' };

type Handler = (params: Record<string, unknown>, state: DeviceState) => CommandOutcome;

const handlers: Record<CommandType, Handler> = {
  lock: (params, state) => {
    const parsed = LockParams.safeParse(params);
    if (!parsed.success)
      return { status: 'failed', error: `invalid lock parameters: ${parsed.error.message}` };
    return { status: 'succeeded', state: { ...state, locked: true } };
  },
};

function isKnownType(type: string): type is CommandType {
  return Object.hasOwn(handlers, type);
}

/**
 * Carries out a command on a device in `state`. Never throws: a command the device cannot carry
 * out (unknown type, bad parameters) gives a `failed` outcome with the reason.
 */
export function executeCommand(
  command: Pick<ReceivedCommand, 'type' | 'params'>,
  state: DeviceState,
): CommandOutcome {
  if (!isKnownType(command.type)) {
    return { status: 'failed', error: `unsupported command type: ${command.type}` };
  }
  return handlers[command.type](command.params, state);
}
