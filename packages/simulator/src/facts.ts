import {
  type ConsentGrants,
  DEFAULT_RESTRICTIONS,
  type DeviceFacts,
  type DeviceState,
  type InstalledApp,
  type NetworkType,
  type Os,
} from '@fleetops/protocol';
import { appPoolFor, type CatalogApp } from './catalog/apps';
import { flaggedAppKinds } from './catalog/flagged-apps';
import { type DeviceModel, deviceModels } from './catalog/models';
import {
  generateAndroidId,
  generateImei,
  generateMacAddress,
  generatePhoneNumber,
  meidFromImei,
} from './identifiers';
import { Random, type Weighted } from './random';

/** Everything a simulated device reports about itself. */
export interface GeneratedDevice {
  /** Position in the fleet; with the seed, it determines everything else. */
  index: number;
  facts: DeviceFacts;
  apps: InstalledApp[];
  consent: ConsentGrants;
  state: DeviceState;
  /** Hardware the device has, for commands that toggle it. */
  capabilities: { nfc: boolean };
  /** Where the device is, for `locate`. */
  location: GeneratedLocation;
  /** The apps its app store offers, for the installs a policy requires. */
  store: readonly CatalogApp[];
}

/** A position fix as the device's GPS would give it. */
export interface GeneratedLocation {
  latitude: number;
  longitude: number;
  accuracyMeters: number;
}

/** City centres (latitude, longitude): a device sits within a few kilometres of one of them. */
const cities: readonly (readonly [number, number])[] = [
  [48.8566, 2.3522],
  [52.52, 13.405],
  [51.5072, -0.1276],
  [40.7128, -74.006],
  [37.7749, -122.4194],
  [35.6762, 139.6503],
  [1.3521, 103.8198],
  [-23.5505, -46.6333],
];

export const MIN_APPS = 30;
export const MAX_APPS = 150;

/** Devices whose agent lacks the rights to read the screen lock, encryption and root state. */
const SECURITY_UNREPORTED_SHARE = 0.01;
const NO_PASSCODE_SHARE = 0.04;
/** Android phones without storage encryption: modified or very old builds, since Android 10 requires it. */
const UNENCRYPTED_ANDROID_SHARE = 0.015;
const ROOTED_ANDROID_SHARE = 0.01;
const JAILBROKEN_IOS_SHARE = 0.003;

const networkTypes: Weighted<NetworkType>[] = [
  { value: 'wifi', weight: 65 },
  { value: 'cellular', weight: 32 },
  { value: 'none', weight: 3 },
];

/**
 * Generates device number `index` of the fleet of `seed`: the same pair always gives the same
 * device, and a different pair gives a different one.
 */
export function generateDevice(seed: number, index: number): GeneratedDevice {
  const random = new Random(seed, index);
  const model = random.pickWeighted(deviceModels);
  const imei = generateImei(random, model.model);
  const networkType = random.pickWeighted(networkTypes);
  const inventory: Omit<DeviceFacts, keyof SecurityState> = {
    model: model.model,
    brand: model.brand,
    os: model.os,
    osVersion: random.pick(model.osVersions),
    serial: random.template(model.serialPattern),
    imei,
    meid: model.cdma ? meidFromImei(imei) : null,
    macAddress: generateMacAddress(random),
    androidId: model.os === 'android' ? generateAndroidId(random) : null,
    phoneNumber: random.chance(0.9) ? generatePhoneNumber(random) : null,
    networkType,
    wifiEnabled: networkType === 'wifi' || random.chance(0.6),
  };
  const apps = generateApps(random, model);
  const consent = generateConsent(random);
  const location = generateLocation(random);
  // Drawn last, so that everything drawn before stays as earlier versions generated it.
  const facts: DeviceFacts = { ...inventory, ...generateSecurityState(random, model.os) };
  return {
    index,
    facts,
    apps,
    consent,
    state: { locked: false, restrictions: { ...DEFAULT_RESTRICTIONS } },
    capabilities: { nfc: model.nfc },
    location,
    store: appPoolFor(model),
  };
}

type SecurityState = Pick<DeviceFacts, 'passcodeSet' | 'storageEncrypted' | 'rooted'>;

/**
 * Most phones have a screen lock and encrypted storage, a few have neither, very few are rooted
 * or jailbroken. iOS protects data with a key derived from the passcode: without one, its storage
 * counts as not encrypted.
 */
function generateSecurityState(random: Random, os: Os): SecurityState {
  if (random.chance(SECURITY_UNREPORTED_SHARE))
    return { passcodeSet: null, storageEncrypted: null, rooted: null };
  const passcodeSet = !random.chance(NO_PASSCODE_SHARE);
  return {
    passcodeSet,
    storageEncrypted: os === 'ios' ? passcodeSet : !random.chance(UNENCRYPTED_ANDROID_SHARE),
    rooted: random.chance(os === 'ios' ? JAILBROKEN_IOS_SHARE : ROOTED_ANDROID_SHARE),
  };
}

function generateApps(random: Random, model: DeviceModel): InstalledApp[] {
  const pool = appPoolFor(model);
  const max = Math.min(MAX_APPS - flaggedAppKinds.length, pool.length);
  // The mean of two uniform draws: most phones have a middling number of apps, few the extremes.
  const count = MIN_APPS + Math.round(((random.next() + random.next()) / 2) * (max - MIN_APPS));
  const apps = sampleByPopularity(random, pool, count);
  if (model.os === 'android') {
    for (const kind of flaggedAppKinds) {
      if (kind.needsGms && !model.gms) continue;
      if (!random.chance(kind.share)) continue;
      const flagged = random.pick(kind.apps);
      const same = apps.findIndex((app) => app.packageId === flagged.packageId);
      if (same >= 0) apps[same] = flagged;
      else apps.push(flagged);
    }
  }
  return apps.sort((a, b) => (a.packageId < b.packageId ? -1 : 1));
}

/** Weighted sampling without replacement (Efraimidis-Spirakis): the `count` apps with the largest keys. */
function sampleByPopularity(random: Random, pool: readonly CatalogApp[], count: number): InstalledApp[] {
  return pool
    .map((entry) => ({ app: entry.app, key: random.next() ** (1 / entry.popularity) }))
    .sort((a, b) => b.key - a.key)
    .slice(0, count)
    .map((entry) => entry.app);
}

function generateLocation(random: Random): GeneratedLocation {
  const [latitude, longitude] = random.pick(cities);
  const round = (degrees: number) => Math.round(degrees * 1e6) / 1e6;
  return {
    latitude: round(latitude + (random.next() - 0.5) * 0.1),
    longitude: round(longitude + (random.next() - 0.5) * 0.1),
    accuracyMeters: random.int(3, 40),
  };
}

function generateConsent(random: Random): ConsentGrants {
  const grants: ConsentGrants = { location: true, files: true, callLog: true, appUsage: true };
  if (random.chance(0.8)) return grants;
  const permissions = Object.keys(grants) as (keyof ConsentGrants)[];
  for (const permission of permissions) grants[permission] = !random.chance(0.4);
  if (permissions.every((p) => grants[p])) grants[random.pick(permissions)] = false;
  return grants;
}
