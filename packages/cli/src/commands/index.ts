import { defineCommand, type OptionSpec } from '../command';
import { commaList, duration, httpUrl, integer, port, positiveInt } from '../options';

/** Descriptions of the command groups (the first words of a command path). */
export const groups: Record<string, string> = {
  server: 'Run the management server on this machine',
  profiles: 'Saved servers and tokens',
  enroll: 'Enroll devices',
  'enroll token': 'Enrollment tokens: what a device presents to enroll',
  devices: 'Enrolled devices',
  tokens: 'API tokens for scripts and CI jobs, each with one role',
  commands: 'Commands sent to devices (lock…) and their outcome',
};

const MODES = ['COPE', 'COBO', 'BYOD'] as const;

const deviceFilters: OptionSpec[] = [
  { flags: '--os <os>', description: 'only this operating system', choices: ['android', 'ios'] },
  { flags: '--group <group>', description: 'only devices of this group' },
  { flags: '--label <label>', description: 'only devices with this label' },
  { flags: '--model <model>', description: 'only this model (exact, case-insensitive)' },
  { flags: '--mode <mode>', description: 'only this management mode', choices: MODES },
  {
    flags: '--seen-within <duration>',
    description: 'only devices seen in the last 1h, 7d…',
    parse: duration,
  },
  { flags: '--not-seen-for <duration>', description: 'only devices not seen for 14d, 2w…', parse: duration },
  {
    flags: '--status <status>',
    description: 'active (the default), retired or all',
    choices: ['active', 'retired', 'all'],
  },
  {
    flags: '--where <selector>',
    description: "devices matching a selector, e.g. 'group = sales and lastSeen > 14d' (docs/selectors.md)",
  },
];

/** Every command of the CLI; the commander tree is built from this list. */
export const commands = [
  defineCommand({
    path: 'server start',
    summary: 'Start the management server (embedded PostgreSQL) and log the CLI in to it',
    options: [
      { flags: '--data-dir <dir>', description: 'where data lives (default: $XDG_DATA_HOME/fleetops)' },
      {
        flags: '--port <port>',
        description: 'port to listen on (0: any free port)',
        parse: port,
        default: '8420',
      },
      { flags: '--host <host>', description: 'address to listen on', default: '127.0.0.1' },
      {
        flags: '--public-url <url>',
        description:
          'URL devices reach the server at, put in enrollment payloads and QR codes (default: the listening URL)',
        parse: httpUrl,
      },
      {
        flags: '--database-url <url>',
        description: 'use this PostgreSQL server instead',
        env: 'DATABASE_URL',
      },
      {
        flags: '--simulate <devices>',
        description: 'also run this many simulated devices',
        parse: positiveInt,
      },
      { flags: '--seed <seed>', description: 'seed of the simulated devices', parse: integer },
      {
        flags: '--log-level <level>',
        description: 'server log level (logs go to stderr)',
        choices: ['silent', 'error', 'warn', 'info', 'debug'],
        default: 'warn',
      },
    ],
    help:
      'The server runs until Ctrl-C; data and simulated devices are kept for the next start.\n\n' +
      'To enroll devices on the network, listen on every address and say where devices reach it:\n' +
      '  fleetops server start --host 0.0.0.0 --public-url http://192.168.1.20:8420',
    load: () => import('./server/start'),
  }),
  defineCommand({
    path: 'simulate',
    summary: 'Run a simulated fleet against a server until Ctrl-C',
    options: [
      {
        flags: '--enrollment-token <token>',
        description: 'enrollment token the devices use',
        required: true,
      },
      { flags: '--devices <n>', description: 'number of devices', parse: positiveInt, required: true },
      { flags: '--seed <seed>', description: 'same seed, same device facts', parse: integer },
      {
        flags: '--state-file <file>',
        description: 'keep enrolled devices here, to bring them back next time',
      },
    ],
    help: "The server is --server (or the profile's server).\n\nExample:\n  fleetops simulate --server http://127.0.0.1:8420 --enrollment-token fet_… --devices 50",
    load: () => import('./simulate'),
  }),
  defineCommand({
    path: 'login',
    summary: 'Check a server URL and API token, save them as a profile and make it current',
    options: [{ flags: '--name <name>', description: 'profile name', default: 'default' }],
    help: 'Give the server and token with the global --server and --token:\n  fleetops login --server https://fleet.example.com --token fot_…',
    load: () => import('./login'),
  }),
  defineCommand({
    path: 'whoami',
    summary: 'Show the org and token the CLI acts as',
    load: () => import('./whoami'),
  }),
  defineCommand({
    path: 'profiles list',
    aliases: ['ls'],
    summary: 'List saved profiles (the current one is marked)',
    load: () => import('./profiles/list'),
  }),
  defineCommand({
    path: 'profiles use',
    summary: 'Make a saved profile the current one',
    args: [{ name: 'name', description: 'profile name' }],
    load: () => import('./profiles/use'),
  }),
  defineCommand({
    path: 'tokens create',
    summary: 'Create an API token (the secret is shown once)',
    options: [
      { flags: '--name <name>', description: 'what the token is for, e.g. ci-deploy', required: true },
      {
        flags: '--role <role>',
        description: 'viewer (read), auditor, operator (labels, commands) or admin',
        choices: ['viewer', 'auditor', 'operator', 'admin'],
        default: 'viewer',
      },
    ],
    load: () => import('./tokens/create'),
  }),
  defineCommand({
    path: 'tokens list',
    aliases: ['ls'],
    summary: 'List API tokens',
    load: () => import('./tokens/list'),
  }),
  defineCommand({
    path: 'tokens revoke',
    summary: 'Revoke an API token: it stops working at once',
    args: [{ name: 'id', description: 'token id' }],
    load: () => import('./tokens/revoke'),
  }),
  defineCommand({
    path: 'enroll token create',
    summary: 'Create an enrollment token (the secret is shown once)',
    options: [
      { flags: '--group <group>', description: 'group the devices join', default: 'default' },
      { flags: '--mode <mode>', description: 'management mode', choices: MODES, default: 'COPE' },
      { flags: '--expires <duration>', description: 'lifetime, e.g. 1h, 7d', parse: duration, default: '7d' },
      { flags: '--max-uses <n>', description: 'how many devices may use it', parse: positiveInt },
      { flags: '--qr', description: 'also print the enrollment payload as a QR code' },
    ],
    load: () => import('./enroll/token/create'),
  }),
  defineCommand({
    path: 'enroll token list',
    aliases: ['ls'],
    summary: 'List enrollment tokens',
    load: () => import('./enroll/token/list'),
  }),
  defineCommand({
    path: 'enroll token revoke',
    summary: 'Revoke an enrollment token',
    args: [{ name: 'id', description: 'enrollment token id' }],
    load: () => import('./enroll/token/revoke'),
  }),
  defineCommand({
    path: 'devices list',
    aliases: ['ls'],
    summary: 'List devices, streamed page by page',
    options: [
      ...deviceFilters,
      { flags: '--limit <n>', description: 'at most this many devices (default: all)', parse: positiveInt },
    ],
    help: 'Example:\n  fleetops devices ls --os android --not-seen-for 14d -o csv > stale.csv',
    load: () => import('./devices/list'),
  }),
  defineCommand({
    path: 'devices get',
    summary: 'Show one device',
    args: [{ name: 'id', description: 'device id' }],
    load: () => import('./devices/get'),
  }),
  defineCommand({
    path: 'devices label',
    summary: "Change a device's labels",
    args: [{ name: 'id', description: 'device id' }],
    options: [
      { flags: '--add <labels>', description: 'labels to add (a,b)', parse: commaList },
      { flags: '--remove <labels>', description: 'labels to remove (a,b)', parse: commaList },
      { flags: '--set <labels>', description: 'replace every label (a,b)', parse: commaList },
      { flags: '--clear', description: 'remove every label' },
    ],
    load: () => import('./devices/label'),
  }),
  defineCommand({
    path: 'devices set-group',
    summary: 'Move a device to another group',
    args: [
      { name: 'id', description: 'device id' },
      { name: 'group', description: 'group name' },
    ],
    load: () => import('./devices/set-group'),
  }),
  defineCommand({
    path: 'devices retire',
    summary: 'Retire (unenroll) a device: its credential stops working at once',
    args: [{ name: 'id', description: 'device id' }],
    options: [{ flags: '-y, --yes', description: 'do not ask for confirmation' }],
    help: 'Asks for confirmation in a terminal; scripts must pass --yes.',
    load: () => import('./devices/retire'),
  }),
  defineCommand({
    path: 'lock',
    summary: 'Lock a device',
    args: [{ name: 'deviceId', description: 'device id' }],
    options: [
      { flags: '--message <text>', description: 'shown on the lock screen' },
      { flags: '--wait', description: 'wait until the device reports the outcome' },
      { flags: '--timeout <duration>', description: 'how long to wait', parse: duration, default: '60s' },
    ],
    help: 'With --wait, exits 0 when the lock succeeded, 3 when it failed or expired, 7 when the wait timed out.',
    load: () => import('./lock'),
  }),
  defineCommand({
    path: 'commands get',
    summary: 'Show a command sent to a device, and where it stands',
    args: [{ name: 'id', description: 'command id (printed by lock)' }],
    load: () => import('./commands/get'),
  }),
  defineCommand({
    path: 'commands wait',
    summary: 'Wait until a command sent to a device succeeds, fails or expires',
    args: [{ name: 'id', description: 'command id (printed by lock)' }],
    options: [
      { flags: '--timeout <duration>', description: 'how long to wait', parse: duration, default: '60s' },
    ],
    help: 'Exits 0 when the command succeeded, 3 when it failed, expired or was canceled, 7 when the wait timed out.\n\nExample:\n  id=$(fleetops lock DEVICE_ID -o json | jq -r .id)\n  fleetops commands wait "$id" --timeout 5m',
    load: () => import('./commands/wait'),
  }),
];
