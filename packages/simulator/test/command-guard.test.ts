import { generateKeyPairSync } from 'node:crypto';
import { COMMAND_EXPIRY_CLOCK_SKEW_SECONDS, exportCommandSigningKey, signCommand } from '@fleetops/protocol';
import { describe, expect, it } from 'vitest';
import { type CommandTrust, refusalOf, SIGNATURE_REFUSAL } from '../src/command-guard';

const { publicKey, privateKey } = generateKeyPairSync('ed25519');
const trust: CommandTrust = {
  orgId: '0193a5c0-0000-7000-8000-000000000001',
  deviceId: '0193a5c0-0000-7000-8000-000000000002',
  enrollmentGeneration: 1,
  commandSigningKey: exportCommandSigningKey(publicKey),
};

const expiresAt = new Date('2026-03-01T12:00:00.000Z');
const unsigned = {
  id: '0193a5c0-0000-7000-8000-0000000000aa',
  type: 'lock',
  params: { message: 'Return to IT' },
  issuedAt: '2026-02-22T12:00:00.000Z',
  expiresAt: expiresAt.toISOString(),
};
const signed = { ...unsigned, signature: signCommand(privateKey, trust, unsigned) };
const before = new Date(expiresAt.getTime() - 60_000);

describe('refusalOf', () => {
  it('lets a command signed by the org for this enrollment through', () => {
    expect(refusalOf(signed, trust, before)).toBeUndefined();
  });

  it('refuses a command changed on the way', () => {
    expect(refusalOf({ ...signed, type: 'wipe' }, trust, before)).toBe(SIGNATURE_REFUSAL);
    expect(refusalOf({ ...signed, params: { message: 'Pay up' } }, trust, before)).toBe(SIGNATURE_REFUSAL);
    expect(refusalOf({ ...signed, expiresAt: '2027-03-01T12:00:00.000Z' }, trust, before)).toBe(
      SIGNATURE_REFUSAL,
    );
  });

  it('refuses a command meant for another device, or unsigned', () => {
    const otherDevice = { ...trust, deviceId: '0193a5c0-0000-7000-8000-000000000009' };
    expect(refusalOf(signed, otherDevice, before)).toBe(SIGNATURE_REFUSAL);
    expect(refusalOf({ ...signed, signature: '' }, trust, before)).toBe(SIGNATURE_REFUSAL);
  });

  it('refuses a command signed for an earlier enrollment of the same device', () => {
    const reEnrolled = { ...trust, enrollmentGeneration: 2 };
    expect(refusalOf(signed, reEnrolled, before)).toBe(SIGNATURE_REFUSAL);
    const current = { ...unsigned, signature: signCommand(privateKey, reEnrolled, unsigned) };
    expect(refusalOf(current, reEnrolled, before)).toBeUndefined();
  });

  it('refuses a command signed with another key', () => {
    const stranger = generateKeyPairSync('ed25519').privateKey;
    const forged = { ...unsigned, signature: signCommand(stranger, trust, unsigned) };
    expect(refusalOf(forged, trust, before)).toBe(SIGNATURE_REFUSAL);
  });

  it('allows for clock skew, then refuses an expired command', () => {
    const skew = COMMAND_EXPIRY_CLOCK_SKEW_SECONDS * 1000;
    expect(refusalOf(signed, trust, new Date(expiresAt.getTime() + skew))).toBeUndefined();
    expect(refusalOf(signed, trust, new Date(expiresAt.getTime() + skew + 1))).toBe(
      `command expired at ${unsigned.expiresAt}`,
    );
  });
});
