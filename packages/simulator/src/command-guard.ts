import {
  COMMAND_EXPIRY_CLOCK_SKEW_SECONDS,
  type CommandRecipient,
  type SignableCommand,
  verifyCommandSignature,
} from '@fleetops/protocol';

/**
 * What a device learnt at enrollment that lets it tell its org's commands from forged ones: its
 * org, its id and which enrollment of the hardware it is, with the org's key.
 */
export interface CommandTrust extends CommandRecipient {
  /** The org's public key, as the enrollment answer gave it. */
  commandSigningKey: string;
}

/** The reason a device gives for refusing a command whose signature does not verify. */
export const SIGNATURE_REFUSAL = 'signature does not verify for this enrollment';

/**
 * Why the device must not execute `command`, or undefined when it may: the signature must be
 * its org's for this very enrollment (org, device id and generation), and the command must not
 * have expired (give or take {@link COMMAND_EXPIRY_CLOCK_SKEW_SECONDS} of clock difference with
 * the server).
 */
export function refusalOf(
  command: SignableCommand & { signature: string },
  trust: CommandTrust,
  now: Date,
): string | undefined {
  if (!verifyCommandSignature(trust.commandSigningKey, trust, command)) return SIGNATURE_REFUSAL;
  const expiresAt = Date.parse(command.expiresAt);
  if (!(now.getTime() <= expiresAt + COMMAND_EXPIRY_CLOCK_SKEW_SECONDS * 1000)) {
    return `command expired at ${command.expiresAt}`;
  }
  return undefined;
}
