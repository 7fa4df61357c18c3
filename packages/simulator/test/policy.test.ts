import { DEFAULT_RESTRICTIONS } from '@fleetops/protocol';
import { describe, expect, it } from 'vitest';
import { type GeneratedDevice, generateDevice } from '../src/index';
import { applyPolicy, type PolicySettings } from '../src/policy';

/** The first device of seed 1 that `matches`. */
function findDevice(matches: (device: GeneratedDevice) => boolean): GeneratedDevice {
  for (let index = 0; index < 1000; index++) {
    const device = generateDevice(1, index);
    if (matches(device)) return device;
  }
  throw new Error('no such device among the first 1000');
}

const offers = (device: GeneratedDevice, packageId: string) =>
  device.store.some((entry) => entry.app.packageId === packageId);
const has = (device: GeneratedDevice, packageId: string) =>
  device.apps.some((app) => app.packageId === packageId);

const settings = (overrides: Partial<PolicySettings>): PolicySettings => ({
  restrictions: {},
  passwordRequirements: {},
  applications: [],
  audit: {},
  retention: {},
  ...overrides,
});

const apply = (policy: PolicySettings, device: GeneratedDevice) =>
  applyPolicy(policy, { ...device, state: device.state });

const pixelLike = (device: GeneratedDevice) =>
  device.facts.os === 'android' && device.capabilities.nfc && offers(device, 'com.google.android.keep');

describe('applyPolicy', () => {
  it('turns the restrictions the policy sets into the device state, and leaves the others', () => {
    const device = findDevice(pixelLike);
    const policy = settings({
      restrictions: {
        cameraDisabled: true,
        bluetoothDisabled: true,
        wifiConfigDisabled: false,
        nfcDisabled: true,
        outgoingCallsDisabled: true,
        factoryResetDisabled: true,
        screenCaptureDisabled: true,
        locationMode: 'LOCATION_ENFORCED',
      },
    });

    const { state, failures } = apply(policy, device);

    expect(state.restrictions).toEqual({
      wifi: 'on',
      camera: 'off',
      bluetooth: 'off',
      nfc: 'off',
      calls: 'off',
      factoryReset: 'off',
      screenshots: 'off',
      forceGps: true,
    });
    expect(failures).toEqual([]);
    const onlyCamera = apply(settings({ restrictions: { cameraDisabled: true } }), device);
    expect(onlyCamera.state.restrictions).toEqual({ ...DEFAULT_RESTRICTIONS, camera: 'off' });
  });

  it('removes blocked apps by id and by pattern, and installs the required ones from the store', () => {
    const device = findDevice(
      (d) =>
        pixelLike(d) &&
        has(d, 'com.whatsapp') &&
        d.apps.some((app) => app.packageId.startsWith('com.facebook.')) &&
        !has(d, 'com.google.android.keep'),
    );
    const policy = settings({
      applications: [
        { packageName: 'com.whatsapp', rule: 'blocked' },
        { packageName: 'com.facebook.*', rule: 'blocked' },
        { packageName: 'com.google.android.keep', rule: 'required' },
        { packageName: 'com.example.inhouse', rule: 'required' },
      ],
    });

    const { apps, failures } = apply(policy, device);

    const kept = device.apps
      .map((app) => app.packageId)
      .filter((id) => id !== 'com.whatsapp' && !id.startsWith('com.facebook.'));
    expect(apps.map((app) => app.packageId)).toEqual([...kept, 'com.google.android.keep'].sort());
    expect(apps.find((app) => app.packageId === 'com.google.android.keep')).toMatchObject({
      name: 'Keep Notes',
      installer: 'com.android.vending',
    });
    expect(failures).toEqual([
      { path: 'applications[com.example.inhouse]', reason: 'not available in the store' },
    ]);
  });

  it('keeps an app a pattern blocks when a rule requires it by name', () => {
    const device = findDevice((d) => has(d, 'com.google.android.gm') && has(d, 'com.google.android.youtube'));
    const policy = settings({
      applications: [
        { packageName: 'com.google.*', rule: 'blocked' },
        { packageName: 'com.google.android.gm', rule: 'required' },
      ],
    });

    const ids = apply(policy, device).apps.map((app) => app.packageId);

    expect(ids).toContain('com.google.android.gm');
    expect(ids).not.toContain('com.google.android.youtube');
  });

  it('updates a required app older than minVersion, and fails when the store has nothing newer', () => {
    const device = findDevice((d) =>
      d.apps.some((app) => app.packageId === 'com.android.chrome' && app.version.startsWith('86.')),
    );
    const updated = apply(
      settings({
        applications: [{ packageName: 'com.android.chrome', rule: 'required', minVersion: '120' }],
      }),
      device,
    );
    expect(updated.apps.find((app) => app.packageId === 'com.android.chrome')?.version).toBe('131.0.6778.39');

    const tooNew = apply(
      settings({
        applications: [{ packageName: 'com.android.chrome', rule: 'required', minVersion: '140.0' }],
      }),
      device,
    );
    expect(tooNew.failures).toEqual([
      {
        path: 'applications[com.android.chrome]',
        reason: 'the store has version 131.0.6778.39, older than 140.0',
      },
    ]);
    expect(tooNew.apps.find((app) => app.packageId === 'com.android.chrome')?.version).toMatch(/^86\./);
  });

  it('fails nfcDisabled on a model without NFC and leaves its state as it was', () => {
    const device = findDevice((d) => d.facts.os === 'android' && !d.capabilities.nfc);

    const { state, failures } = apply(
      settings({ restrictions: { nfcDisabled: true, cameraDisabled: true } }),
      device,
    );

    expect(failures).toEqual([
      { path: 'restrictions.nfcDisabled', reason: 'this device has no NFC hardware' },
    ]);
    expect(state.restrictions).toEqual({ ...DEFAULT_RESTRICTIONS, camera: 'off' });
  });

  it('fails on an iPhone what iOS cannot enforce, and a Play Store app', () => {
    const iphone = findDevice((d) => d.facts.os === 'ios');
    const policy = settings({
      restrictions: {
        nfcDisabled: true,
        outgoingCallsDisabled: true,
        smsDisabled: true,
        cameraDisabled: true,
      },
      passwordRequirements: { passwordMinimumLength: 20, maximumFailedPasswordsForWipe: 15 },
      applications: [{ packageName: 'com.google.android.keep', rule: 'required' }],
    });

    const { state, failures } = apply(policy, iphone);

    expect(failures.map((failure) => failure.path)).toEqual([
      'restrictions.nfcDisabled',
      'restrictions.outgoingCallsDisabled',
      'restrictions.smsDisabled',
      'passwordRequirements.passwordMinimumLength',
      'passwordRequirements.maximumFailedPasswordsForWipe',
      'applications[com.google.android.keep]',
    ]);
    expect(state.restrictions).toEqual({ ...DEFAULT_RESTRICTIONS, camera: 'off' });
    const within = settings({
      passwordRequirements: { passwordMinimumLength: 8, maximumFailedPasswordsForWipe: 10 },
    });
    expect(apply(within, iphone).failures).toEqual([]);
  });

  it('fails the same fields on the same device every time, and installs on most devices', () => {
    const policy = settings({
      restrictions: { nfcDisabled: true },
      applications: [{ packageName: 'org.thoughtcrime.securesms', rule: 'required' }],
    });
    const fleet = Array.from({ length: 400 }, (_, index) => generateDevice(5, index));

    const first = fleet.map((device) => apply(policy, device).failures);
    const again = fleet.map((device) => apply(policy, generateDevice(5, device.index)).failures);

    expect(again).toEqual(first);
    const storageFull = first.filter((failures) =>
      failures.some((f) => f.reason === 'not enough storage to install the app'),
    ).length;
    expect(storageFull).toBeGreaterThan(0);
    expect(storageFull).toBeLessThan(fleet.length / 10);
  });
});
