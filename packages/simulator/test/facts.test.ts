import { ConsentGrants, DeviceFacts, InstalledApp } from '@fleetops/protocol';
import { describe, expect, it } from 'vitest';
import { flaggedAppKinds } from '../src/catalog/flagged-apps';
import { generateDevice, MAX_APPS, MIN_APPS } from '../src/facts';
import { isLuhnValid } from '../src/identifiers';

const fleet = (seed: number, size: number) => Array.from({ length: size }, (_, i) => generateDevice(seed, i));

describe('generateDevice', () => {
  const devices = fleet(1, 500);

  it('gives the same device for the same seed and index', () => {
    expect(generateDevice(7, 42)).toEqual(generateDevice(7, 42));
  });

  it('gives different devices for different seeds and indexes', () => {
    expect(generateDevice(1, 0).facts).not.toEqual(generateDevice(2, 0).facts);
    expect(generateDevice(1, 0).facts).not.toEqual(generateDevice(1, 1).facts);
  });

  it('produces facts, apps and consent the protocol accepts', () => {
    for (const device of devices) {
      expect(DeviceFacts.parse(device.facts)).toEqual(device.facts);
      for (const app of device.apps) expect(InstalledApp.parse(app)).toEqual(app);
      expect(ConsentGrants.parse(device.consent)).toEqual(device.consent);
    }
  });

  it('gives every device a distinct serial and a Luhn-valid IMEI', () => {
    expect(new Set(devices.map((d) => d.facts.serial)).size).toBe(devices.length);
    for (const { facts } of devices) expect(facts.imei && isLuhnValid(facts.imei)).toBe(true);
  });

  it('reports an Android ID on Android only and a MEID on CDMA models only', () => {
    for (const { facts } of devices) {
      expect(facts.androidId === null).toBe(facts.os === 'ios');
      if (facts.meid !== null) expect(facts.imei?.startsWith(facts.meid)).toBe(true);
    }
    expect(devices.some((d) => d.facts.meid !== null)).toBe(true);
    expect(devices.some((d) => d.facts.meid === null)).toBe(true);
  });

  it('mixes brands and operating systems, with Android the majority', () => {
    const brands = new Set(devices.map((d) => d.facts.brand));
    expect(brands.size).toBeGreaterThanOrEqual(8);
    const ios = devices.filter((d) => d.facts.os === 'ios').length;
    expect(ios).toBeGreaterThan(0);
    expect(ios).toBeLessThan(devices.length / 2);
  });

  it('installs between 30 and 150 apps, each package at most once', () => {
    for (const { apps } of devices) {
      expect(apps.length).toBeGreaterThanOrEqual(MIN_APPS);
      expect(apps.length).toBeLessThanOrEqual(MAX_APPS);
      expect(new Set(apps.map((a) => a.packageId)).size).toBe(apps.length);
    }
  });

  it('puts each kind of flagged app on some devices but not on most', () => {
    for (const kind of flaggedAppKinds) {
      const carriers = devices.filter((d) =>
        d.apps.some((app) =>
          kind.apps.some((f) => f.packageId === app.packageId && f.version === app.version),
        ),
      ).length;
      expect(carriers, kind.reason).toBeGreaterThan(0);
      expect(carriers, kind.reason).toBeLessThan(devices.length / 10);
    }
  });

  it('marks sideloaded apps with a null installer and store apps with their store', () => {
    const installers = new Set(devices.flatMap((d) => d.apps.map((a) => a.installer)));
    expect(installers).toContain('com.android.vending');
    expect(installers).toContain('com.apple.AppStore');
    expect(installers).toContain(null);
    const sideloaded = devices.flatMap((d) => d.apps.filter((a) => a.installer === null));
    const flaggedIds = new Set(flaggedAppKinds.flatMap((k) => k.apps.map((a) => a.packageId)));
    for (const app of sideloaded) expect(flaggedIds).toContain(app.packageId);
  });

  it('lets most users grant every permission and some withdraw a few', () => {
    const grantsAll = devices.filter((d) => Object.values(d.consent).every(Boolean)).length;
    expect(grantsAll).toBeGreaterThan(devices.length / 2);
    expect(grantsAll).toBeLessThan(devices.length);
  });
});
