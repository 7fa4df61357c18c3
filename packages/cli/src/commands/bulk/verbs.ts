import { InvalidArgumentError } from 'commander';
import { type CommandSpec, defineCommand, type OptionSpec } from '../../command';
import { duration, positiveInt } from '../../options';

/**
 * A flag that sets one parameter of a command. Flags are declared here rather than built from
 * the protocol's schemas, so that `--help` does not load zod; a test holds them to the schemas.
 */
export interface ParamFlag extends OptionSpec {
  /** The parameter of the command's schema the flag sets. */
  param: string;
  /** The flag takes a duration (`30s`, `2m`) and the parameter is in seconds. */
  seconds?: boolean;
}

/** A command type offered as a bulk verb: `fleetops TYPE [devices…] [flags]`. */
export interface BulkVerb {
  type: string;
  summary: string;
  params: ParamFlag[];
  /** Erases devices or removes them from management: confirmation required. */
  destructive?: boolean;
  /** Takes an app's package id as its first argument (or `--package`). */
  takesPackage?: boolean;
  /** `--reason` is also the command's own `reason` parameter. */
  reasonParam?: boolean;
  /** Extra help: examples. */
  examples: string[];
}

const TOGGLE_CHOICES = ['on', 'off'];

const toggle = (param: string, flag: string, feature: string): ParamFlag => ({
  param,
  flags: `--${flag} <state>`,
  description: `${feature}: on (allowed) or off (disabled)`,
  choices: TOGGLE_CHOICES,
});

const packageFlag: ParamFlag = {
  param: 'packageId',
  flags: '--package <id>',
  description: 'Package id of the app, e.g. com.example.mail (or give it as the first argument)',
};

/** The bulk verbs, one per command type, in the order `--help` lists them. */
export const BULK_VERBS: BulkVerb[] = [
  {
    type: 'lock',
    summary: 'Lock devices, optionally with a message on the lock screen',
    params: [{ param: 'message', flags: '--message <text>', description: 'Shown on the lock screen' }],
    examples: [
      'fleetops lock DEVICE_ID --message "Call IT" --wait',
      'fleetops lock --file lost.csv --reason "reported lost" --expect-count 12',
    ],
  },
  {
    type: 'wipe',
    summary: 'Factory-reset devices (BYOD devices are skipped: retire them instead)',
    destructive: true,
    reasonParam: true,
    params: [
      {
        param: 'keepEsim',
        flags: '--keep-esim',
        description: 'Keep the eSIM profiles through the factory reset',
      },
      {
        param: 'wipeExternalStorage',
        flags: '--wipe-external-storage',
        description: 'Also erase external storage (SD card), not only the device itself',
      },
    ],
    examples: [
      'fleetops wipe --file stolen.csv --reason "stolen, ticket 4711" --dry-run',
      'fleetops wipe --file stolen.csv --reason "stolen, ticket 4711" --expect-count 3 --yes --wait',
    ],
  },
  {
    type: 'reboot',
    summary: 'Reboot devices',
    params: [],
    examples: ['fleetops devices ls --where "osVersion < 14" -o csv | cut -d, -f1 | fleetops reboot -'],
  },
  {
    type: 'locate',
    summary: 'Ask devices where they are',
    params: [],
    examples: ['fleetops locate DEVICE_ID --wait -o json'],
  },
  {
    type: 'ring',
    summary: 'Ring devices at full volume, to find them',
    params: [
      {
        param: 'durationSeconds',
        flags: '--duration <duration>',
        description:
          'How long the device rings at full volume (the device rings 30 s if not given); 5s to 5m',
        parse: duration,
        seconds: true,
      },
    ],
    examples: ['fleetops ring DEVICE_ID --duration 1m'],
  },
  {
    type: 'message',
    summary: 'Show a message to device users',
    params: [
      { param: 'title', flags: '--title <text>', description: 'Heading of the message' },
      { param: 'body', flags: '--body <text>', description: 'Text shown to the device user', required: true },
    ],
    examples: ['fleetops message --where "group = sales" --title "Update" --body "Restart tonight, please"'],
  },
  {
    type: 'set-restrictions',
    summary: 'Turn device features on or off: camera, Wi-Fi, Bluetooth…',
    params: [
      toggle('wifi', 'wifi', 'Wi-Fi'),
      toggle('camera', 'camera', 'Camera'),
      toggle('bluetooth', 'bluetooth', 'Bluetooth'),
      toggle('nfc', 'nfc', 'NFC'),
      toggle('calls', 'calls', 'Outgoing phone calls'),
      toggle('factoryReset', 'factory-reset', 'Factory reset from the device settings'),
      toggle('screenshots', 'screenshots', 'Screenshots and screen recording'),
      {
        param: 'forceGps',
        flags: '--force-gps',
        description: 'Keep location (GPS) on; the user cannot turn it off',
      },
      { param: 'forceGps', flags: '--no-force-gps', description: 'let the user turn location off again' },
    ],
    examples: ['fleetops set-restrictions --where "group = kiosks" --camera off --bluetooth off --force-gps'],
  },
  {
    type: 'remove-app',
    summary: 'Uninstall an app from devices',
    takesPackage: true,
    params: [packageFlag],
    examples: ['fleetops remove-app com.example.game --where "group = kiosks"'],
  },
  {
    type: 'clear-app-data',
    summary: "Clear an app's data on devices",
    takesPackage: true,
    params: [packageFlag],
    examples: ['fleetops clear-app-data com.example.mail DEVICE_ID'],
  },
  {
    type: 'sync',
    summary: 'Ask devices to check in now',
    params: [],
    examples: ['fleetops sync --all'],
  },
  {
    type: 'retire',
    summary: 'Remove devices from management through a job: each device unenrolls when it gets the command',
    destructive: true,
    params: [],
    examples: [
      'fleetops retire --where "lastSeen > 90d" --reason "stale" --dry-run',
      '(fleetops devices retire ID unenrolls one device at once, without waiting for it)',
    ],
  },
];

/** Parses a whole number of at least 0. */
function count(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n)) {
    throw new InvalidArgumentError('expected a whole number of at least 0');
  }
  return n;
}

/** Where the devices come from: arguments, stdin, a file, a selector or the whole fleet. */
const targetOptions: OptionSpec[] = [
  {
    flags: '--file <path>',
    description: 'devices listed in a file: one id a line, or a CSV with an id, serial or imei column',
  },
  {
    flags: '--where <selector>',
    description: "devices matching a selector, e.g. 'group = sales and lastSeen > 14d' (docs/selectors.md)",
  },
  {
    flags: '--all',
    description: 'every active device of the org; with --where, accept a selector that matches them all',
  },
];

const jobOptions: OptionSpec[] = [
  { flags: '--reason <text>', description: 'why: kept on the job and shown to approvers' },
  {
    flags: '--dry-run',
    description: 'show which devices would run the command and which not; create nothing',
  },
  {
    flags: '--expect-count <n>',
    description: 'refuse unless the targets resolve to exactly this many devices',
    parse: count,
  },
  {
    flags: '--max-targets <n>',
    description: 'refuse when the targets resolve to more devices than this',
    parse: positiveInt,
  },
  {
    flags: '--after <jobId>',
    description: "run on each device only once that device's command of this earlier job succeeded",
  },
  {
    flags: '--delay <duration>',
    description: 'deliver only after this long (15m, 2h…); the job can be canceled until then',
    parse: duration,
  },
  {
    flags: '--ttl <duration>',
    description: 'how long each command may wait for its device to pick it up (default 7d)',
    parse: duration,
  },
  { flags: '--wait', description: 'follow the job until every device has an outcome' },
  { flags: '--timeout <duration>', description: 'how long to wait', parse: duration, default: '10m' },
];

const confirmOption: OptionSpec = { flags: '-y, --yes', description: 'do not ask for confirmation' };

const TARGETS_HELP =
  'Give the devices in exactly one way: ids as arguments, - to read ids from stdin, --file, --where\n' +
  'or --all. A file (or stdin) holds one device id a line, blank lines and # comments skipped, or\n' +
  'is a CSV whose header names an id, serial or imei column; errors name the line. The server\n' +
  'refuses a selector that matches every device unless --all is given too.';

const OUTCOME_HELP =
  'Creates one job, a command per device, and prints it; follow it with fleetops jobs wait ID.\n' +
  'With --wait: exit 0 when every device succeeded, 3 when some failed, expired or were canceled,\n' +
  '6 when the job awaits approval, 7 when the wait timed out. A guard that refuses exits 8.\n' +
  'Running the same command again after an interruption attaches to the job it created.';

const CONFIRM_HELP = 'Asks you to type the number of devices at a terminal; scripts must pass --yes.';

function help(verb: BulkVerb): string {
  const parts = [TARGETS_HELP, OUTCOME_HELP];
  if (verb.reasonParam) parts.push(`--reason is also sent with each ${verb.type} command, as its reason.`);
  if (verb.destructive) parts.push(CONFIRM_HELP);
  parts.push(`Examples:\n${verb.examples.map((line) => `  ${line}`).join('\n')}`);
  return parts.join('\n\n');
}

/** The command of one bulk verb; its handler is loaded on demand. */
function bulkCommand(verb: BulkVerb): CommandSpec {
  const devices = {
    name: 'deviceIds',
    description: 'device ids, or - to read them from stdin',
    optional: true,
    variadic: true,
  };
  const app = {
    name: 'app',
    description: 'package id of the app, unless given with --package',
    optional: true,
  };
  return defineCommand({
    path: verb.type,
    summary: verb.summary,
    args: verb.takesPackage ? [app, devices] : [devices],
    options: [...verb.params, ...targetOptions, ...jobOptions, ...(verb.destructive ? [confirmOption] : [])],
    help: help(verb),
    load: async () => ({ handler: (await import('./run')).bulkHandler(verb) }),
  });
}

/** `fleetops lock`, `wipe`, …: one command per command type, each creating one job. */
export const bulkCommands: CommandSpec[] = BULK_VERBS.map(bulkCommand);
