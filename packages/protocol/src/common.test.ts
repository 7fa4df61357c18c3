import { expect, it } from 'vitest';
import { DeviceFacts, InstalledApp } from './device';
import { CommandResultRequest } from './device-api';

const facts = {
  model: 'Pixel 8',
  brand: 'Google',
  os: 'android',
  osVersion: '14',
  serial: 'SN1',
  macAddress: '02:00:00:00:00:01',
  networkType: 'wifi',
  wifiEnabled: true,
};

it('refuses device text that could rewrite an admin terminal', () => {
  expect(DeviceFacts.safeParse(facts).success).toBe(true);
  for (const model of ['Pixel\x1b]52;c;ZXZpbA==\x07', 'Pixel\x9b31m', 'Pixel\r8', 'Pixel\n8']) {
    const parsed = DeviceFacts.safeParse({ ...facts, model });
    expect(parsed.success, JSON.stringify(model)).toBe(false);
    expect(parsed.error?.issues[0]?.message).toBe('must not contain control characters');
  }
  expect(InstalledApp.safeParse({ packageId: 'com.x', name: 'X\x1b[2J', version: '1' }).success).toBe(false);
  expect(DeviceFacts.safeParse({ ...facts, model: 'Galaxy S23 Ultra — 5G (日本)' }).success).toBe(true);
});

it('lets an error report span lines but not carry escapes', () => {
  expect(CommandResultRequest.safeParse({ status: 'failed', error: 'line one\n\tline two' }).success).toBe(
    true,
  );
  expect(CommandResultRequest.safeParse({ status: 'failed', error: 'red\x1b[31m' }).success).toBe(false);
});

it('refuses text PostgreSQL could not store: an unpaired surrogate', () => {
  const parsed = DeviceFacts.safeParse({ ...facts, model: 'Pixel \ud800' });
  expect(parsed.error?.issues[0]?.message).toBe('must be well-formed Unicode (no unpaired surrogate)');
  expect(DeviceFacts.safeParse({ ...facts, model: 'Pixel \u{1F4F1}' }).success).toBe(true);
  expect(CommandResultRequest.safeParse({ status: 'failed', error: 'x\udc00' }).success).toBe(false);
});
