import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  CommandSigningKey,
  commandSigningPayload,
  exportCommandSigningKey,
  importCommandSigningKey,
  signCommand,
  verifyCommandSignature,
} from './command-signing';

const ORG = '0193a5c0-0000-7000-8000-000000000001';
const DEVICE = '0193a5c0-0000-7000-8000-000000000002';
const OTHER_DEVICE = '0193a5c0-0000-7000-8000-000000000003';
const RECIPIENT = { orgId: ORG, deviceId: DEVICE, enrollmentGeneration: 1 };

const command = {
  id: '0193a5c0-0000-7000-8000-0000000000aa',
  type: 'lock',
  params: { message: 'Return to IT', nested: { z: 1, a: [true, null, 2.5] } },
  issuedAt: '2026-01-01T10:00:00.000Z',
  expiresAt: '2026-01-08T10:00:00.000Z',
};

const orgKeys = () => {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return { publicKey: exportCommandSigningKey(publicKey), privateKey };
};

describe('the signed payload', () => {
  it('is the RFC 8785 canonical JSON of org, device, enrollment and the command, whatever the key order', () => {
    const payload = commandSigningPayload(RECIPIENT, command).toString('utf8');
    expect(payload).toBe(
      `{"deviceId":"${DEVICE}","enrollmentGeneration":1,"expiresAt":"2026-01-08T10:00:00.000Z","id":"${command.id}",` +
        '"issuedAt":"2026-01-01T10:00:00.000Z","orgId":"' +
        ORG +
        '","params":{"message":"Return to IT","nested":{"a":[true,null,2.5],"z":1}},"type":"lock"}',
    );
    const reordered = {
      expiresAt: command.expiresAt,
      params: { nested: { a: [true, null, 2.5], z: 1 }, message: 'Return to IT' },
      type: 'lock',
      issuedAt: command.issuedAt,
      id: command.id,
    };
    expect(commandSigningPayload(RECIPIENT, reordered).toString('utf8')).toBe(payload);
  });

  it('leaves out anything beyond the signed fields, such as the signature itself', () => {
    const withExtras = { ...command, signature: 'abc', deviceId: OTHER_DEVICE };
    expect(commandSigningPayload(RECIPIENT, withExtras)).toEqual(commandSigningPayload(RECIPIENT, command));
  });

  // RFC 8785, section 3.2.2 (number and string serialisation) and 3.2.3 (property sorting).
  it('serialises numbers, strings and key order as RFC 8785 requires', () => {
    const params = {
      // As the RFC's input text has them: parsed, not written as literals that would lose digits.
      numbers: JSON.parse('[333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001]'),
      string: '\u20ac$\u000F\u000aA\'\u0042\u0022\u005c\\"/',
      literals: [null, true, false],
    };
    const payload = commandSigningPayload(RECIPIENT, { ...command, params }).toString('utf8');
    expect(payload).toContain(
      '"params":{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],' +
        '"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
    );
    const sorting = {
      '\u20ac': 'Euro Sign',
      '\r': 'Carriage Return',
      '\ufb33': 'Hebrew Letter Dalet With Dagesh',
      '1': 'One',
      '\ud83d\ude00': 'Emoji: Grinning Face',
      '\u0080': 'Control',
      '\u00f6': 'Latin Small Letter O With Diaeresis',
    };
    const sorted = commandSigningPayload(RECIPIENT, { ...command, params: sorting }).toString('utf8');
    const keys = [...sorted.matchAll(/"([^"]*)":"[A-Z][^"]*"/g)].map((m) => m[1]);
    expect(keys).toEqual(['\\r', '1', '\u0080', 'ö', '€', '😀', '\ufb33']);
  });
});

describe('command signatures', () => {
  it('verify for the device and org they were made for', () => {
    const keys = orgKeys();
    const signature = signCommand(keys.privateKey, RECIPIENT, command);
    expect(verifyCommandSignature(keys.publicKey, RECIPIENT, { ...command, signature })).toBe(true);
  });

  it.each([
    ['type', { type: 'wipe' }],
    ['params', { params: { ...command.params, message: 'Pay the ransom' } }],
    ['nested params', { params: { ...command.params, nested: { z: 2, a: [true, null, 2.5] } } }],
    ['id', { id: '0193a5c0-0000-7000-8000-0000000000ab' }],
    ['issuedAt', { issuedAt: '2026-01-01T10:00:01.000Z' }],
    ['expiresAt', { expiresAt: '2027-01-08T10:00:00.000Z' }],
  ])('do not verify once the %s is changed', (_, change) => {
    const keys = orgKeys();
    const signature = signCommand(keys.privateKey, RECIPIENT, command);
    expect(verifyCommandSignature(keys.publicKey, RECIPIENT, { ...command, ...change, signature })).toBe(
      false,
    );
  });

  it('do not verify after the device was enrolled again, even with the same device id', () => {
    const keys = orgKeys();
    const signed = { ...command, signature: signCommand(keys.privateKey, RECIPIENT, command) };
    expect(verifyCommandSignature(keys.publicKey, { ...RECIPIENT, enrollmentGeneration: 2 }, signed)).toBe(
      false,
    );
  });

  it('do not verify on another device, in another org, or with another org’s key', () => {
    const keys = orgKeys();
    const signed = { ...command, signature: signCommand(keys.privateKey, RECIPIENT, command) };
    expect(verifyCommandSignature(keys.publicKey, { ...RECIPIENT, deviceId: OTHER_DEVICE }, signed)).toBe(
      false,
    );
    expect(verifyCommandSignature(keys.publicKey, { ...RECIPIENT, orgId: OTHER_DEVICE }, signed)).toBe(false);
    expect(verifyCommandSignature(orgKeys().publicKey, RECIPIENT, signed)).toBe(false);
  });

  it('do not verify when the signature or key is malformed, and never throw', () => {
    const keys = orgKeys();
    const signature = signCommand(keys.privateKey, RECIPIENT, command);
    const flipped = Buffer.from(signature, 'base64');
    flipped[0]! ^= 1;
    for (const bad of ['', 'not base64!', flipped.toString('base64'), signature.slice(0, 40)]) {
      expect(verifyCommandSignature(keys.publicKey, RECIPIENT, { ...command, signature: bad })).toBe(false);
    }
    for (const badKey of ['', 'AAAA', `${keys.publicKey}x`]) {
      expect(verifyCommandSignature(badKey, RECIPIENT, { ...command, signature })).toBe(false);
    }
  });
});

describe('the public key on the wire', () => {
  it('is the raw 32-byte key in base64 and reads back as the same key', () => {
    const { publicKey } = generateKeyPairSync('ed25519');
    const text = exportCommandSigningKey(publicKey);
    expect(Buffer.from(text, 'base64')).toHaveLength(32);
    expect(CommandSigningKey.safeParse(text).success).toBe(true);
    expect(importCommandSigningKey(text).equals(publicKey)).toBe(true);
    // The last 32 bytes of the SPKI DER encoding are the raw key.
    const spki = publicKey.export({ format: 'der', type: 'spki' });
    expect(Buffer.from(text, 'base64')).toEqual(spki.subarray(spki.length - 32));
  });

  it('refuses an RSA key and text that is not a 32-byte key', () => {
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
    expect(() => exportCommandSigningKey(publicKey)).toThrow();
    expect(() => importCommandSigningKey(Buffer.alloc(31).toString('base64'))).toThrow();
  });
});
