import {
  COMMAND_EXPIRY_CLOCK_SKEW_SECONDS,
  type SignableCommand,
  verifyCommandSignature,
} from '@fleetops/protocol';

/** What a device learnt at enrollment that lets it tell its org's commands from forged ones. */
export interface CommandTrust {
  deviceId: string;
  orgId: string;
  /** The org's public key, as the enrollment answer gave it. */
  commandSigningKey: string;
}

/** The reason a device gives for refusing a command whose signature does not verify. */
export const SIGNATURE_REFUSAL = 'signature does not verify';

/**
 * Why the device must not execute `command`, or undefined when it may: the signature must be
 * its org's for this very device, and the command must not have expired (give or take
 * {@link COMMAND_EXPIRY_CLOCK_SKEW_SECONDS} of clock difference with the server).
 */
export function refusalOf(
  command: SignableCommand & { signature: string },
  trust: CommandTrust,
  now: Date,
): string | undefined {
  if (!verifyCommandSignature(trust.commandSigningKey, trust.deviceId, trust.orgId, command)) {
    return SIGNATURE_REFUSAL;
  }
  const expiresAt = Date.parse(command.expiresAt);
  if (!(now.getTime() <= expiresAt + COMMAND_EXPIRY_CLOCK_SKEW_SECONDS * 1000)) {
    return `command expired at ${command.expiresAt}`;
  }
  return undefined;
}
