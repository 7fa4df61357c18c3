import type { GeneratedDevice } from '../facts';
import { callingCodeOf, generatePhoneNumber } from '../identifiers';
import { Random, type Weighted } from '../random';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** Share of devices whose clock is off by minutes. */
const SKEWED_CLOCK_SHARE = 0.02;
/** Share of a user's calls with a number of their contacts; the others are numbers seen once. */
const CONTACT_CALL_SHARE = 0.7;

const signInMethods: Weighted<string>[] = [
  { value: 'sso', weight: 40 },
  { value: 'password', weight: 30 },
  { value: 'biometric', weight: 30 },
];

/** Mobile networks by the calling code of the SIM's number. */
const carriers: Record<string, readonly string[]> = {
  '+1': ['Verizon', 'T-Mobile', 'AT&T'],
  '+44': ['EE', 'Vodafone UK', 'O2 - UK', 'Three'],
  '+49': ['Telekom.de', 'Vodafone.de', 'o2 - de'],
  '+86': ['China Mobile', 'China Unicom', 'China Telecom'],
  '+33': ['Orange F', 'SFR', 'Bouygues Telecom', 'Free'],
  '+91': ['Jio 4G', 'Airtel', 'Vi India'],
  '+34': ['Movistar', 'Vodafone ES', 'Orange'],
  '+39': ['TIM', 'Vodafone IT', 'WINDTRE'],
  '+81': ['docomo', 'au', 'SoftBank'],
  '+55': ['Vivo', 'Claro BR', 'TIM BR'],
  '+61': ['Telstra', 'Optus', 'Vodafone AU'],
};

const homeRouters = [
  'FRITZ!Box 7590',
  'Livebox',
  'NETGEAR',
  'TP-Link',
  'Vodafone',
  'BTHub6',
  'SKY',
  'ASUS_RT',
];
const workNetworks = ['CORP-WIFI', 'Staff', 'Office-5G', 'eduroam', 'Warehouse', 'HQ-Secure'];
const androidScreens: readonly (readonly [number, number])[] = [
  [1080, 2400],
  [1080, 2340],
  [1440, 3120],
  [1080, 2412],
  [720, 1600],
];

/** FNV-1a of a string. */
function hashOf(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash | 0;
}

/**
 * How one device's user lives: where and when they work, whom they call, which apps they use,
 * their networks. The same device always gets the same routine; its day-to-day variation
 * (when exactly the shift starts) is a function of the day, so that any time can be asked about.
 */
export class Routine {
  /** Seed of everything random about this device's audit data. */
  readonly seed: number;
  readonly os: GeneratedDevice['facts']['os'];
  readonly home: GeneratedDevice['location'];
  /** Local time is solar time: the home's longitude, in whole hours. */
  readonly utcOffsetMs: number;
  /** How far the device's clock is off (0 on most devices). */
  readonly clockSkewMs: number;
  readonly shiftStartMinute: number;
  readonly shiftMinutes: number;
  readonly commuteMinutes: number;
  readonly wakeMinute: number;
  readonly sleepMinute: number;
  readonly locationEveryMs: number;
  readonly callsPerHour: number;
  readonly operationsPerHour: number;
  readonly phoneNumber: string | null;
  readonly wifi: boolean;
  readonly signInMethod: string;
  readonly scanMinute: number;
  readonly engineVersion: string;
  readonly homeSsid: string;
  readonly workSsid: string;
  readonly homeIp: string;
  readonly workIp: string;
  readonly carrier: string | null;
  readonly screen: readonly [number, number];
  /** Apps the user opens most, by package id: most usage goes to them. */
  readonly favouriteApps: readonly string[];
  private readonly contacts: readonly string[];

  constructor(device: GeneratedDevice) {
    const { facts } = device;
    this.seed = hashOf(`${facts.serial}/${facts.imei}`);
    const random = new Random(this.seed, 1);
    this.os = facts.os;
    this.home = device.location;
    this.utcOffsetMs = Math.round(device.location.longitude / 15) * HOUR;
    this.clockSkewMs = random.chance(SKEWED_CLOCK_SHARE)
      ? (random.chance(0.5) ? 1 : -1) * random.int(2 * MINUTE, 45 * MINUTE)
      : 0;
    this.shiftStartMinute = random.int(28, 40) * 15;
    this.shiftMinutes = random.int(16, 19) * 30;
    this.commuteMinutes = random.int(10, 60);
    this.wakeMinute = this.shiftStartMinute - this.commuteMinutes - random.int(30, 90);
    this.sleepMinute = random.int(22 * 60, 24 * 60 - 1);
    this.locationEveryMs = random.int(3, 10) * MINUTE;
    this.callsPerHour = 1 + random.next() * 5;
    this.operationsPerHour = random.int(6, 20);
    this.phoneNumber = facts.phoneNumber ?? null;
    this.wifi = facts.wifiEnabled;
    this.signInMethod = random.pickWeighted(signInMethods);
    this.scanMinute = random.int(60, 5 * 60 - 1);
    this.engineVersion = `${random.int(6, 8)}.${random.int(0, 12)}.${random.int(0, 30)}`;
    this.homeSsid = `${random.pick(homeRouters)}-${random.hex(4).toUpperCase()}`;
    this.workSsid = random.pick(workNetworks);
    this.homeIp = `192.168.${random.pick([0, 1, 1, 2, 178])}.${random.int(2, 254)}`;
    this.workIp = `10.${random.int(0, 255)}.${random.int(0, 255)}.${random.int(2, 254)}`;
    const country = this.phoneNumber ? callingCodeOf(this.phoneNumber) : undefined;
    this.carrier = this.phoneNumber ? random.pick(carriers[country ?? '+1'] ?? carriers['+1']!) : null;
    this.screen = random.pick(androidScreens);
    const apps = device.apps.map((app) => app.packageId);
    this.favouriteApps = Array.from({ length: Math.min(8, apps.length) }, () => random.pick(apps));
    this.contacts = Array.from({ length: random.int(15, 40) }, () =>
      generatePhoneNumber(random, random.chance(0.85) ? country : undefined),
    );
  }

  /** Android lets the agent read the call log (with a SIM), see all files and take screenshots; iOS does not. */
  get readsCallLog(): boolean {
    return this.os === 'android' && this.phoneNumber !== null;
  }

  get seesFiles(): boolean {
    return this.os === 'android';
  }

  /** The other party of a call: mostly a contact. */
  callee(random: Random): string {
    if (random.chance(CONTACT_CALL_SHARE)) return random.pick(this.contacts);
    return generatePhoneNumber(random, this.phoneNumber ? callingCodeOf(this.phoneNumber) : undefined);
  }

  /** The local day of `t`, as days since the epoch. */
  dayOf(t: number): number {
    return Math.floor((t + this.utcOffsetMs) / DAY);
  }

  /** Local midnight starting `day`. */
  midnight(day: number): number {
    return day * DAY - this.utcOffsetMs;
  }

  /** Minutes since local midnight. */
  minuteOf(t: number): number {
    return Math.floor((t - this.midnight(this.dayOf(t))) / MINUTE);
  }

  isWorkday(day: number): boolean {
    const weekday = (((day + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday
    return weekday >= 1 && weekday <= 5;
  }

  /** The shift of a workday: it starts up to 15 minutes late and lasts up to 30 minutes longer. */
  shift(day: number): { start: number; end: number } {
    const start =
      this.midnight(day) + this.shiftStartMinute * MINUTE + Math.floor(this.noise(day, 1) * 15 * MINUTE);
    return { start, end: start + this.shiftMinutes * MINUTE + Math.floor(this.noise(day, 2) * 30 * MINUTE) };
  }

  isWorking(t: number): boolean {
    const day = this.dayOf(t);
    if (!this.isWorkday(day)) return false;
    const { start, end } = this.shift(day);
    return t >= start && t < end;
  }

  isAwake(t: number): boolean {
    const minute = this.minuteOf(t);
    return minute >= this.wakeMinute && minute < this.sleepMinute;
  }

  /** The first shift start after `t`. */
  nextShiftStart(t: number): number {
    for (let day = this.dayOf(t); ; day++) {
      if (this.isWorkday(day) && this.shift(day).start > t) return this.shift(day).start;
    }
  }

  /** A number in [0, 1) that depends only on the device, the day and `salt`. */
  noise(day: number, salt: number): number {
    let h = this.seed ^ Math.imul(day, 0x9e3779b1) ^ Math.imul(salt, 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 16), 0x21f0aaad);
    h = Math.imul(h ^ (h >>> 15), 0x735a2d97);
    return ((h ^ (h >>> 15)) >>> 0) / 4294967296;
  }
}
