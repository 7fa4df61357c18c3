import { createHash } from 'node:crypto';
import type { AUDIT_EVENT_DATA, AuditCategory, InstalledApp, Restrictions } from '@fleetops/protocol';
import type { z } from 'zod';
import type { Random, Weighted } from '../random';
import { DAY, HOUR, MINUTE, type Routine } from './routine';

/** What an event of category `C` carries. */
export type EventData<C extends AuditCategory> = z.input<(typeof AUDIT_EVENT_DATA)[C]>;

/** Where a category's events come from: when they happen, and what each one says. */
export interface Source<C extends AuditCategory> {
  /** The first time after `t` the source makes events; Infinity when this device never does. */
  nextAfter(t: number): number;
  /** The events made at `t`, a time `nextAfter` gave: none, one or several. */
  eventsAt(t: number): EventData<C>[];
  /** Collection starts again after a pause: the next event does not follow from the last one. */
  resume?(): void;
}

export type Sources = { [C in AuditCategory]: Source<C> };

/** What a device is now, as its audit data needs it. */
export interface DeviceView {
  apps(): readonly InstalledApp[];
  restrictions(): Restrictions;
}

/** How the sources see a device: its routine, its state, and its clock (which may be off). */
export interface SourceContext {
  routine: Routine;
  random: Random;
  device: DeviceView;
  /** A time as the device's clock shows it. */
  stamp: (t: number) => string;
}

const METERS_PER_DEGREE = 111_320;
/** How far a walk step goes on average, and how strongly it is pulled back home (per fix). */
const WALK_STEP_METERS = 150;
const WALK_PULL = 0.85;
const SCREENSHOTS_PER_HOUR = 0.02;
const NIGHT_OPERATIONS_PER_HOUR = 0.5;
const OUTAGE_SHARE = 0.01;
const OUTAGE_BUCKET_MS = 10 * MINUTE;
const LONGEST_CALL_SECONDS = 2 * 3600;

const fixSources: Weighted<'gps' | 'wifi' | 'cell'>[] = [
  { value: 'gps', weight: 55 },
  { value: 'wifi', weight: 35 },
  { value: 'cell', weight: 10 },
];
const forcedGpsFixSources: Weighted<'gps' | 'wifi' | 'cell'>[] = [
  { value: 'gps', weight: 85 },
  { value: 'wifi', weight: 12 },
  { value: 'cell', weight: 3 },
];
const fixAccuracy = { gps: [3, 20], wifi: [15, 80], cell: [300, 1500] } as const;

const callDirections: Weighted<'incoming' | 'outgoing' | 'missed'>[] = [
  { value: 'incoming', weight: 45 },
  { value: 'outgoing', weight: 40 },
  { value: 'missed', weight: 15 },
];

/** How many new files a nightly scan finds. */
const scannedFiles: Weighted<number>[] = [0, 1, 2, 3, 4, 5, 6].map((value, i) => ({
  value,
  weight: [10, 25, 25, 18, 12, 6, 4][i]!,
}));
const verdicts: Weighted<'clean' | 'suspicious' | 'infected'>[] = [
  { value: 'clean', weight: 97 },
  { value: 'suspicious', weight: 2 },
  { value: 'infected', weight: 1 },
];
const threats = {
  suspicious: ['PUA.Android.Adware.HiddenAds', 'Heuristic.Packed.APK', 'Riskware.Android.Dropper'],
  infected: ['Android.Trojan.Joker', 'Android.Spyware.SpyNote', 'Android.Banker.Anubis', 'EICAR-Test-File'],
};
const twoDigits = (n: number) => String(n).padStart(2, '0');
/** A time of day as cameras put it in file names (HHMMSS). */
const shotTime = (r: Random) =>
  `${twoDigits(r.int(7, 22))}${twoDigits(r.int(0, 59))}${twoDigits(r.int(0, 59))}`;

/** Files a phone gets, under its shared storage, named as apps name them on the day `date` (YYYYMMDD). */
const newFiles: ((random: Random, date: string) => string)[] = [
  (r) => `Download/invoice_${r.digits(4)}.pdf`,
  (r) => `Download/statement_${r.digits(6)}.pdf`,
  (r) => `Download/setup_${r.int(1, 99)}.apk`,
  (r) => `Documents/Report ${r.digits(4)}-${r.digits(2)}.xlsx`,
  (r, date) => `DCIM/Camera/IMG_${date}_${shotTime(r)}.jpg`,
  (r, date) => `Movies/VID_${date}_${shotTime(r)}.mp4`,
  (r, date) =>
    `Android/media/com.whatsapp/WhatsApp/Media/WhatsApp Documents/DOC-${date}-WA${r.digits(4)}.pdf`,
];

const operations: Weighted<(context: SourceContext) => EventData<'operationLogs'>>[] = [
  { weight: 30, value: () => ({ action: 'screen.unlock', detail: null }) },
  { weight: 30, value: (c) => ({ action: 'app.open', detail: usedApp(c) }) },
  { weight: 12, value: (c) => ({ action: 'notification.open', detail: usedApp(c) }) },
  { weight: 12, value: () => ({ action: 'client.sync', detail: null }) },
  {
    weight: 8,
    value: (c) => ({
      action: 'settings.change',
      detail: c.random.pick(['wifi', 'bluetooth', 'brightness', 'do-not-disturb', 'ringtone', 'language']),
    }),
  },
  { weight: 3, value: () => ({ action: 'vpn.connect', detail: null }) },
  { weight: 2, value: () => ({ action: 'client.start', detail: null }) },
];

const sha256 = (content: string) => createHash('sha256').update(content).digest('hex');
const round6 = (degrees: number) => Math.round(degrees * 1e6) / 1e6;

/** A Poisson process of `perHour` events an hour, counted only over the times `counts` accepts. */
function poissonDuring(random: Random, perHour: number, counts: (t: number) => boolean) {
  return (t: number): number => {
    for (let at = t; ; ) {
      at += random.exponential(HOUR / perHour);
      if (counts(at)) return at;
    }
  };
}

/** An app the user has now: mostly one of their favourites; null without apps. */
function usedApp({ routine, random, device }: SourceContext): string | null {
  const installed = device.apps();
  if (installed.length === 0) return null;
  const favourites = routine.favouriteApps.filter((id) => installed.some((app) => app.packageId === id));
  if (favourites.length > 0 && random.chance(0.75)) return random.pick(favourites);
  return random.pick(installed).packageId;
}

/** Where the user is at `t`: home, commuting, or at work. */
function placeAt(routine: Routine, t: number): 'home' | 'commute' | 'work' {
  const day = routine.dayOf(t);
  if (!routine.isWorkday(day)) return 'home';
  const { start, end } = routine.shift(day);
  const commute = routine.commuteMinutes * MINUTE;
  if ((t >= start - commute && t < start) || (t >= end && t < end + commute)) return 'commute';
  return t >= start && t < end ? 'work' : 'home';
}

function location(context: SourceContext): Source<'location'> {
  const { routine, random, device } = context;
  let east = 0;
  let north = 0;
  return {
    nextAfter: (t) => t + routine.locationEveryMs * (0.8 + 0.4 * random.next()),
    eventsAt() {
      // Mean-reverting walk: the phone wanders a few hundred metres around home.
      east = east * WALK_PULL + random.gaussian() * WALK_STEP_METERS;
      north = north * WALK_PULL + random.gaussian() * WALK_STEP_METERS;
      const latitude = routine.home.latitude + north / METERS_PER_DEGREE;
      const longitude =
        routine.home.longitude + east / (METERS_PER_DEGREE * Math.cos((latitude * Math.PI) / 180));
      const source = random.pickWeighted(device.restrictions().forceGps ? forcedGpsFixSources : fixSources);
      const [best, worst] = fixAccuracy[source];
      return [
        {
          latitude: round6(latitude),
          longitude: round6(longitude),
          accuracyMeters: random.int(best, worst),
          source,
        },
      ];
    },
  };
}

function callLog({ routine, random }: SourceContext): Source<'callLog'> {
  const nextCall = (t: number): number => {
    for (let at = t; ; ) {
      at += random.exponential(HOUR / routine.callsPerHour);
      if (routine.isWorking(at)) return at;
      at = routine.nextShiftStart(at);
    }
  };
  return {
    nextAfter: (t) => (routine.readsCallLog ? nextCall(t) : Number.POSITIVE_INFINITY),
    eventsAt() {
      const direction = random.pickWeighted(callDirections);
      const durationSeconds =
        direction === 'missed'
          ? 0
          : Math.min(LONGEST_CALL_SECONDS, Math.max(3, Math.round(random.exponential(150))));
      return [{ direction, number: routine.callee(random), durationSeconds }];
    },
  };
}

/** One event per app used in each hour the user is awake, sent when the hour ends. */
function appUsage(context: SourceContext): Source<'appUsage'> {
  const { routine, random, stamp } = context;
  return {
    nextAfter(t) {
      let end = Math.floor(t / HOUR) * HOUR + HOUR;
      while (!routine.isAwake(end - HOUR)) end += HOUR;
      return end;
    },
    eventsAt(end) {
      const start = end - HOUR;
      const wanted = random.int(1, routine.isWorking(start) ? 3 : 5);
      const used = new Set<string>();
      for (let i = 0; i < wanted; i++) {
        const app = usedApp(context);
        if (app) used.add(app);
      }
      if (used.size === 0) return [];
      const activeSeconds = random.int(3, 40) * 60;
      const weights = [...used].map(() => 0.2 + random.next());
      const total = weights.reduce((sum, w) => sum + w, 0);
      return [...used].map((packageId, i) => ({
        packageId,
        foregroundSeconds: Math.max(1, Math.round((activeSeconds * weights[i]!) / total)),
        periodStart: stamp(start),
        periodEnd: stamp(end),
      }));
    },
  };
}

function screenshots(context: SourceContext): Source<'screenshots'> {
  const { routine, random, device } = context;
  const next = poissonDuring(random, SCREENSHOTS_PER_HOUR, (t) => routine.isAwake(t));
  return {
    nextAfter: (t) => (routine.seesFiles ? next(t) : Number.POSITIVE_INFINITY),
    eventsAt() {
      // Screen capture turned off by a policy: the agent cannot take one either.
      if (device.restrictions().screenshots === 'off') return [];
      const [width, height] = routine.screen;
      return [
        {
          sha256: sha256(`screenshot ${random.hex(64)}`),
          width,
          height,
          sizeBytes: random.int(150_000, 2_500_000),
          packageId: random.chance(0.8) ? usedApp(context) : null,
        },
      ];
    },
  };
}

/** The nightly scan of the files that are new since the last one. */
function fileVirusScan({ routine, random }: SourceContext): Source<'fileVirusScan'> {
  return {
    nextAfter(t) {
      if (!routine.seesFiles) return Number.POSITIVE_INFINITY;
      for (let day = routine.dayOf(t); ; day++) {
        const at = routine.midnight(day) + routine.scanMinute * MINUTE;
        if (at > t) return at;
      }
    },
    eventsAt(t) {
      const yesterday = new Date(t - DAY).toISOString().slice(0, 10).replaceAll('-', '');
      return Array.from({ length: random.pickWeighted(scannedFiles) }, () => {
        const verdict = random.pickWeighted(verdicts);
        return {
          path: `/storage/emulated/0/${random.pick(newFiles)(random, yesterday)}`,
          sha256: sha256(`file ${random.hex(64)}`),
          verdict,
          threat: verdict === 'clean' ? null : random.pick(threats[verdict]),
          engineVersion: routine.engineVersion,
        };
      });
    },
  };
}

function operationLogs(context: SourceContext): Source<'operationLogs'> {
  const { routine, random } = context;
  const next = poissonDuring(
    random,
    routine.operationsPerHour,
    (t) => routine.isAwake(t) || random.chance(NIGHT_OPERATIONS_PER_HOUR / routine.operationsPerHour),
  );
  return { nextAfter: next, eventsAt: () => [random.pickWeighted(operations)(context)] };
}

/** The network, looked at every few minutes and reported when it changed. */
function networkInfo({ routine, random }: SourceContext): Source<'networkInfo'> {
  let last: string | undefined;
  const networkAt = (t: number): EventData<'networkInfo'> => {
    const place = placeAt(routine, t);
    const outage = routine.noise(Math.floor(t / OUTAGE_BUCKET_MS), 7) < OUTAGE_SHARE;
    if (!outage && place !== 'commute' && routine.wifi) {
      const atWork = place === 'work';
      return {
        networkType: 'wifi',
        ssid: atWork ? routine.workSsid : routine.homeSsid,
        ipAddress: atWork ? routine.workIp : routine.homeIp,
        carrier: routine.carrier,
      };
    }
    if (!outage && routine.carrier) {
      const ipAddress = `100.${random.int(64, 127)}.${random.int(0, 255)}.${random.int(1, 254)}`;
      return { networkType: 'cellular', ssid: null, ipAddress, carrier: routine.carrier };
    }
    return { networkType: 'none', ssid: null, ipAddress: null, carrier: null };
  };
  return {
    nextAfter: (t) => t + random.int(3, 6) * MINUTE,
    eventsAt(t) {
      const network = networkAt(t);
      const key = `${network.networkType} ${network.ssid}`;
      if (key === last) return [];
      last = key;
      return [network];
    },
    resume() {
      last = undefined;
    },
  };
}

/** Sign-in at the start of each shift, sign-out at its end. */
function signInOut({ routine }: SourceContext): Source<'signInOut'> {
  return {
    nextAfter(t) {
      for (let day = routine.dayOf(t); ; day++) {
        if (!routine.isWorkday(day)) continue;
        const { start, end } = routine.shift(day);
        if (start > t) return start;
        if (end > t) return end;
      }
    },
    eventsAt(t) {
      const kind = routine.shift(routine.dayOf(t)).start === t ? 'sign-in' : 'sign-out';
      return [{ kind, method: routine.signInMethod }];
    },
  };
}

/** Every category's source for one device. */
export function createSources(context: SourceContext): Sources {
  return {
    location: location(context),
    callLog: callLog(context),
    appUsage: appUsage(context),
    screenshots: screenshots(context),
    fileVirusScan: fileVirusScan(context),
    operationLogs: operationLogs(context),
    networkInfo: networkInfo(context),
    signInOut: signInOut(context),
  };
}
