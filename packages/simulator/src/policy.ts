import type {
  AppliedPolicyReport,
  CheckInResponse,
  DeviceFacts,
  DeviceState,
  InstalledApp,
  Restrictions,
} from '@fleetops/protocol';
import type { z } from 'zod';
import type { CatalogApp } from './catalog/apps';
import type { GeneratedDevice } from './facts';
import { Random } from './random';

/** A policy as the server hands it to a device: its hash and the settings to enforce. */
export type DevicePolicy = NonNullable<CheckInResponse['policy']>;
export type PolicySettings = DevicePolicy['settings'];

/** A field of the policy the device could not apply, by its path in the settings. */
export type PolicyFailure = z.output<typeof AppliedPolicyReport>['failures'][number];

/** The policy a device runs, with the fields it could not apply. */
export interface AppliedPolicy extends DevicePolicy {
  failures: PolicyFailure[];
}

/** What a device is when it applies a policy. */
export interface PolicyTarget {
  facts: DeviceFacts;
  capabilities: GeneratedDevice['capabilities'];
  /** The apps the device's app store offers. */
  store: readonly CatalogApp[];
  state: DeviceState;
  apps: readonly InstalledApp[];
}

/** The device after applying a policy, and what it could not apply. */
export interface PolicyApplication {
  state: DeviceState;
  apps: InstalledApp[];
  failures: PolicyFailure[];
}

/** Share of devices whose storage is too full to install any app. */
const FULL_STORAGE_SHARE = 0.03;
/** The most failed unlock attempts before an erase that iOS accepts (`maxFailedAttempts`). */
const IOS_MAX_FAILED_ATTEMPTS = 11;
/** The longest passcode iOS can require (`minLength`). */
const IOS_MAX_PASSCODE_LENGTH = 16;

/** Policy restrictions that map to a toggle of the device state: `true` turns the toggle off. */
const toggles = [
  ['cameraDisabled', 'camera'],
  ['bluetoothDisabled', 'bluetooth'],
  ['wifiConfigDisabled', 'wifi'],
  ['nfcDisabled', 'nfc'],
  ['outgoingCallsDisabled', 'calls'],
  ['factoryResetDisabled', 'factoryReset'],
  ['screenCaptureDisabled', 'screenshots'],
] as const;

/**
 * Applies a policy to a device. Fields the policy sets are enforced; fields it leaves out stay as
 * the device has them. Restrictions with a toggle in the device state change that toggle
 * (`locationMode: LOCATION_ENFORCED` turns `forceGps` on); blocked apps (by package id or `*`
 * pattern) are removed unless a rule requires them by name; required apps missing or older than
 * `minVersion` are installed from the device's store.
 *
 * A device fails what real devices fail, the same way every time:
 * - `restrictions.nfcDisabled` on a model without NFC, and on iOS, which cannot turn NFC off;
 * - `restrictions.outgoingCallsDisabled` and `restrictions.smsDisabled` on iOS, which has neither;
 * - on iOS, `passwordRequirements.passwordMinimumLength` above 16 and
 *   `passwordRequirements.maximumFailedPasswordsForWipe` above 11 (iOS's own limits);
 * - a required app its store does not offer (e.g. a Play app on an iPhone or a Huawei phone without
 *   Google services), whose store version is older than `minVersion`, or named by a pattern;
 * - every required install on the few devices (3%, chosen by serial number) whose storage is full.
 */
export function applyPolicy(settings: PolicySettings, target: PolicyTarget): PolicyApplication {
  const failures: PolicyFailure[] = [];
  const fail = (path: string, reason: string) => failures.push({ path, reason });
  const ios = target.facts.os === 'ios';

  const restrictions: Restrictions = { ...target.state.restrictions };
  const rules = settings.restrictions;
  for (const [field, toggle] of toggles) {
    const disabled = rules[field];
    if (disabled === undefined) continue;
    const path = `restrictions.${field}`;
    if (disabled && field === 'nfcDisabled' && ios)
      fail(path, 'iOS does not let device management turn NFC off');
    else if (disabled && field === 'nfcDisabled' && !target.capabilities.nfc)
      fail(path, 'this device has no NFC hardware');
    else if (disabled && field === 'outgoingCallsDisabled' && ios)
      fail(path, 'iOS cannot block outgoing calls');
    else restrictions[toggle] = disabled ? 'off' : 'on';
  }
  if (rules.smsDisabled && ios) fail('restrictions.smsDisabled', 'iOS cannot block text messages');
  if (rules.locationMode !== undefined) restrictions.forceGps = rules.locationMode === 'LOCATION_ENFORCED';

  const password = settings.passwordRequirements;
  if (ios && (password.passwordMinimumLength ?? 0) > IOS_MAX_PASSCODE_LENGTH) {
    fail(
      'passwordRequirements.passwordMinimumLength',
      `iOS passcodes are at most ${IOS_MAX_PASSCODE_LENGTH} characters long`,
    );
  }
  if (ios && (password.maximumFailedPasswordsForWipe ?? 0) > IOS_MAX_FAILED_ATTEMPTS) {
    fail(
      'passwordRequirements.maximumFailedPasswordsForWipe',
      `iOS erases the device after at most ${IOS_MAX_FAILED_ATTEMPTS} failed attempts`,
    );
  }

  const apps = new Map(target.apps.map((app) => [app.packageId, app]));
  const required = settings.applications.filter((rule) => rule.rule === 'required');
  const requiredByName = new Set(required.map((rule) => rule.packageName));
  for (const rule of settings.applications) {
    if (rule.rule !== 'blocked') continue;
    const matches = patternMatcher(rule.packageName);
    for (const packageId of apps.keys()) {
      if (matches(packageId) && !requiredByName.has(packageId)) apps.delete(packageId);
    }
  }
  const storageFull = new Random(seedOf(target.facts.serial)).chance(FULL_STORAGE_SHARE);
  for (const rule of required) {
    const path = `applications[${rule.packageName}]`;
    const present = apps.get(rule.packageName);
    if (present && (rule.minVersion === undefined || compareVersions(present.version, rule.minVersion) >= 0))
      continue;
    if (rule.packageName.includes('*')) {
      fail(path, 'a required app must be one package, not a pattern');
      continue;
    }
    const offered = target.store.find((entry) => entry.app.packageId === rule.packageName)?.app;
    if (!offered) fail(path, 'not available in the store');
    else if (rule.minVersion !== undefined && compareVersions(offered.version, rule.minVersion) < 0)
      fail(path, `the store has version ${offered.version}, older than ${rule.minVersion}`);
    else if (storageFull) fail(path, 'not enough storage to install the app');
    else apps.set(offered.packageId, offered);
  }

  return {
    state: { ...target.state, restrictions },
    apps: [...apps.values()].sort((a, b) => (a.packageId < b.packageId ? -1 : 1)),
    failures,
  };
}

/** Whether a package id matches a package pattern, where `*` stands for any characters. */
function patternMatcher(pattern: string): (packageId: string) => boolean {
  if (!pattern.includes('*')) return (packageId) => packageId === pattern;
  const source = pattern
    .split('*')
    .map((part) => part.replace(/[.]/g, '\\.'))
    .join('.*');
  const regex = new RegExp(`^${source}$`);
  return (packageId) => regex.test(packageId);
}

/** Compares dotted versions part by part, numerically where both parts are numbers. */
function compareVersions(a: string, b: string): number {
  const left = a.split(/[.\-_ ]/);
  const right = b.split(/[.\-_ ]/);
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    const x = left[i] ?? '0';
    const y = right[i] ?? '0';
    const difference = /^\d+$/.test(x) && /^\d+$/.test(y) ? Number(x) - Number(y) : x.localeCompare(y);
    if (difference !== 0) return Math.sign(difference);
  }
  return 0;
}

/** FNV-1a of a string: a seed that stays the same for the same device. */
function seedOf(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash | 0;
}
