import type { CommandType, JobDeviceStatus, JobStatus } from '@fleetops/protocol';
import { defineCommand, type OptionSpec } from '../command';
import { commaList, duration, httpUrl, integer, port, positiveInt } from '../options';
import { auditCommands } from './audit/specs';
import { bulkCommands } from './bulk/verbs';
import { complianceScanCommand } from './compliance/scan-spec';
import { complianceCommands } from './compliance/specs';
import { percent } from './policy/options';
import { numberOrOff } from './settings/options';
import { userCommands } from './users/specs';

/** Descriptions of the command groups (the first words of a command path). */
export const groups: Record<string, string> = {
  server: 'Run the management server on this machine',
  profiles: 'Saved servers and tokens',
  enroll: 'Enroll devices',
  'enroll token': 'Enrollment tokens: what a device presents to enroll',
  devices: 'Enrolled devices',
  tokens: 'API tokens for scripts and CI jobs, each with one role',
  commands: 'Commands sent to devices (lock…) and their outcome',
  jobs: 'Bulk commands sent as server-side jobs, and their outcome',
  settings: "The org's settings: approvals, the destructive budget and the retention of device events",
  users: 'The people who use managed devices: accounts, owners of devices, offboarding',
  audit: 'Device audit events (query, export) and the tamper-evident admin activity log',
  policy: 'Policies as code: validate, plan, apply',
  'policy rollout': 'Release a staged policy version to its devices in waves',
  compliance: 'Compliance rules over installed apps and device state: scans, impact, remediation, history',
  'compliance rules': "The org's compliance rules: get, apply, import a blocklist of apps",
};

const MODES = ['COPE', 'COBO', 'BYOD'] as const;

const rolloutWaitTimeout: OptionSpec[] = [
  { flags: '--timeout <duration>', description: 'how long to follow', parse: duration, default: '2h' },
];

const JOB_STATUSES = [
  'awaiting_approval',
  'scheduled',
  'running',
  'completed',
  'canceled',
  'expired',
] as const satisfies readonly JobStatus[];

const JOB_DEVICE_STATUSES = [
  'queued',
  'delivered',
  'acknowledged',
  'succeeded',
  'failed',
  'expired',
  'canceled',
  'skipped',
] as const satisfies readonly JobDeviceStatus[];

const COMMAND_TYPES = [
  'lock',
  'wipe',
  'reboot',
  'locate',
  'ring',
  'message',
  'set-restrictions',
  'remove-app',
  'clear-app-data',
  'sync',
  'retire',
] as const satisfies readonly CommandType[];

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
      {
        flags: '--audit-speed <n>',
        description:
          "how many times faster than real time the devices' users live: audit events, permission changes and upload intervals (default 1)",
        parse: positiveInt,
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
    summary: 'Show one device, and per audit category whether it is collected and what was kept or dropped',
    args: [{ name: 'id', description: 'device id' }],
    help:
      'COLLECTING is yes when the policy switches the category on and the user granted its permission;\n' +
      'STORED counts its events kept, DROPPED those refused by the policy or for want of consent.\n' +
      '-o json adds them to the device as "audit".',
    load: () => import('./devices/get'),
  }),
  defineCommand({
    path: 'devices policy',
    summary: "A device's effective policy, field by field, with the policy version each came from",
    args: [{ name: 'id', description: 'device id' }],
    help: 'DEVICE REPORTS shows the fields the device says it could not apply.',
    load: () => import('./devices/policy'),
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
    path: 'devices set-owner',
    summary: 'Set the user who owns a device (their events are tied to them), or none',
    args: [
      { name: 'id', description: 'device id' },
      { name: 'user', description: 'user id or e-mail address, or none' },
    ],
    help: 'Example:\n  fleetops devices set-owner DEVICE_ID alice@example.com',
    load: () => import('./devices/set-owner'),
  }),
  defineCommand({
    path: 'devices retire',
    summary: 'Retire (unenroll) a device: its credential stops working at once',
    args: [{ name: 'id', description: 'device id' }],
    options: [{ flags: '-y, --yes', description: 'do not ask for confirmation' }],
    help: 'Asks for confirmation in a terminal; scripts must pass --yes.',
    load: () => import('./devices/retire'),
  }),
  ...bulkCommands,
  defineCommand({
    path: 'commands get',
    summary: 'Show a command sent to a device, and where it stands',
    args: [{ name: 'id', description: 'command id (fleetops jobs results JOB_ID lists them)' }],
    load: () => import('./commands/get'),
  }),
  defineCommand({
    path: 'commands wait',
    summary: 'Wait until a command sent to a device succeeds, fails or expires',
    args: [{ name: 'id', description: 'command id (fleetops jobs results JOB_ID lists them)' }],
    options: [
      { flags: '--timeout <duration>', description: 'how long to wait', parse: duration, default: '60s' },
    ],
    help: 'Exits 0 when the command succeeded, 3 when it failed, expired or was canceled, 7 when the wait timed out.\n\nExample:\n  id=$(fleetops jobs results JOB_ID -o ndjson | head -1 | jq -r .commandId)\n  fleetops commands wait "$id" --timeout 5m',
    load: () => import('./commands/wait'),
  }),
  defineCommand({
    path: 'jobs list',
    aliases: ['ls'],
    summary: 'List jobs, newest first, with their devices per status',
    options: [
      { flags: '--status <status>', description: 'only jobs in this status', choices: JOB_STATUSES },
      { flags: '--type <type>', description: 'only jobs of this command type', choices: COMMAND_TYPES },
    ],
    help: 'FAILED counts every device that did not succeed: failed, expired or canceled.',
    load: () => import('./jobs/list'),
  }),
  defineCommand({
    path: 'jobs get',
    summary: 'Show one job and its devices per status',
    args: [{ name: 'id', description: 'job id' }],
    load: () => import('./jobs/get'),
  }),
  defineCommand({
    path: 'jobs wait',
    summary: 'Follow a job until every device has an outcome (reattaches to a running job)',
    args: [{ name: 'id', description: 'job id' }],
    options: [
      { flags: '--timeout <duration>', description: 'how long to wait', parse: duration, default: '10m' },
    ],
    help:
      'Shows progress on stderr: a live view in a terminal, else a line on each change (at most every 5s).\n' +
      'Exits 0 when every device succeeded (skipped devices do not count), 3 when some failed, expired or\n' +
      'were canceled, 6 when the job awaits approval (without waiting), 7 when the wait timed out.\n' +
      'Ctrl-C or a timeout stops following only: the job continues on the server.',
    load: () => import('./jobs/wait'),
  }),
  defineCommand({
    path: 'jobs results',
    summary: "Each device's outcome in a job, streamed page by page",
    args: [{ name: 'id', description: 'job id' }],
    options: [
      {
        flags: '--status <status>',
        description: 'only devices with this outcome',
        choices: JOB_DEVICE_STATUSES,
      },
    ],
    help: 'Example:\n  fleetops jobs results JOB_ID --status failed -o csv > failed.csv',
    load: () => import('./jobs/results'),
  }),
  defineCommand({
    path: 'jobs cancel',
    summary: 'Cancel what a job has not finished yet',
    args: [{ name: 'id', description: 'job id' }],
    load: () => import('./jobs/cancel'),
  }),
  defineCommand({
    path: 'jobs approve',
    summary: 'Approve a job awaiting approval (an admin other than its creator)',
    args: [{ name: 'id', description: 'job id' }],
    load: () => import('./jobs/approve'),
  }),
  defineCommand({
    path: 'policy validate',
    summary: 'Check policy files without a server: YAML, schema, one policy per file, unique names',
    args: [
      { name: 'paths', description: 'policy files, or directories of *.yaml, *.yml, *.json', variadic: true },
    ],
    help:
      'Every problem of every file is printed as file:line:col: field.path: message.\n' +
      'Exits 0 when every file is valid, 1 when any is not (docs/policies.md).',
    load: () => import('./policy/validate'),
  }),
  defineCommand({
    path: 'policy plan',
    summary: 'Show what applying the policy files would change on the server (changes nothing)',
    args: [
      { name: 'paths', description: 'policy files, or directories of *.yaml, *.yml, *.json', variadic: true },
    ],
    options: [
      { flags: '--prune', description: 'also delete live policies that no file names' },
      { flags: '--detailed-exitcode', description: 'exit 2 when there are changes, 0 when none, 1 on error' },
    ],
    help:
      '+ create, ~ update (path: from → to), - delete; ! marks a field changed on the server since the\n' +
      'last apply that the apply would overwrite (drift). -o json prints the plan, e.g. for a PR comment.\n' +
      'Only with --detailed-exitcode does 2 mean "changes" rather than a usage error.\n\n' +
      'Example:\n  fleetops policy plan policies/ --detailed-exitcode -o json > plan.json',
    load: () => import('./policy/plan'),
  }),
  defineCommand({
    path: 'policy apply',
    summary: 'Plan, confirm, then apply the policy files all-or-nothing as one revision',
    args: [
      { name: 'paths', description: 'policy files, or directories of *.yaml, *.yml, *.json', variadic: true },
    ],
    options: [
      { flags: '--prune', description: 'also delete live policies that no file names' },
      {
        flags: '--staged',
        description: 'devices keep their versions until `fleetops policy rollout NAME` releases the new ones',
      },
      { flags: '-y, --yes', description: 'do not ask for confirmation' },
      { flags: '-m, --message <text>', description: 'why: recorded with the revision' },
    ],
    help:
      'Asks for confirmation in a terminal; scripts must pass --yes (else exit 2). If the policies\n' +
      'changed on the server since the plan, nothing is applied (exit 1): plan again. The commit,\n' +
      'ci-run and ref of --context (commit=SHA,ci-run=URL,ref=BRANCH) are recorded with the revision.\n\n' +
      'Example:\n  fleetops policy apply policies/ --yes -m "camera off for sales" --context commit=$(git rev-parse HEAD)',
    load: () => import('./policy/apply'),
  }),
  defineCommand({
    path: 'policy pull',
    summary: 'Write every live policy to DIR/<name>.yaml (overwrites files of the same name)',
    args: [{ name: 'dir', description: 'directory to write to (created if needed)' }],
    load: () => import('./policy/pull'),
  }),
  defineCommand({
    path: 'policy drift',
    summary: "Devices not running their group's policy, or failing fields of it (exit 3 when any)",
    options: [{ flags: '--group <group>', description: 'only devices of this group' }],
    help: 'A device that never reported a policy counts as drift once its group has one.',
    load: () => import('./policy/drift'),
  }),
  defineCommand({
    path: 'policy history',
    summary: 'Changes of the policy set, newest first: who, when, what, from which commit',
    options: [
      { flags: '--limit <n>', description: 'at most this many revisions (default: all)', parse: positiveInt },
    ],
    load: () => import('./policy/history'),
  }),
  defineCommand({
    path: 'policy rollback',
    summary: 'Make the policy set what it was after an earlier revision, or roll back the rollout of NAME',
    args: [{ name: 'name', description: 'policy whose latest rollout to roll back', optional: true }],
    options: [
      { flags: '--to <revision>', description: 'revision to go back to (the whole set)', parse: positiveInt },
      { flags: '-y, --yes', description: 'do not ask for confirmation' },
      { flags: '-m, --message <text>', description: 'why: recorded with the revision' },
    ],
    help:
      'With --to, a new revision makes the set what it was right after that revision. With NAME, the\n' +
      'devices that got the version of its latest rollout get the one before again.\n' +
      'Asks for confirmation in a terminal; scripts must pass --yes (else exit 2).\n\n' +
      'Examples:\n  fleetops policy rollback --to 12 --yes\n  fleetops policy rollback corp-baseline --yes',
    load: () => import('./policy/rollback'),
  }),
  defineCommand({
    path: 'policy rollout',
    summary: 'Release the newest version of a policy to its devices in waves',
    args: [{ name: 'name', description: 'policy to roll out (applied with --staged)' }],
    options: [
      {
        flags: '--waves <sizes>',
        description:
          'cumulative reach of each wave (required): percents or device counts, e.g. 1%,10%,50%,100%',
        // Required and checked by the handler: commander would ask it of `policy rollout status` too.
        parse: commaList,
      },
      {
        flags: '--halt-on-failure <percent>',
        description: 'halt when more of the devices reached fail it (default 5%)',
        parse: percent,
      },
      { flags: '--pause <duration>', description: 'wait between two waves, e.g. 10m', parse: duration },
      {
        flags: '--wave-timeout <duration>',
        description: 'a wave is over after this long even if devices did not report (default 30m)',
        parse: duration,
      },
      { flags: '--wait', description: 'follow the rollout until it completes or halts' },
      ...rolloutWaitTimeout,
    ],
    help:
      'The server releases the first wave at once and each next one when the devices of the previous\n' +
      'reported (after --pause); it halts when the failure rate goes above --halt-on-failure.\n' +
      'With --wait, exits like `policy rollout status`.\n\n' +
      'Example:\n  fleetops policy apply policies/ --staged --yes\n' +
      '  fleetops policy rollout corp-baseline --waves 1%,10%,50%,100% --halt-on-failure 2% --pause 10m --wait',
    load: () => import('./policy/rollout'),
  }),
  defineCommand({
    path: 'policy rollout status',
    summary: 'Follow the latest rollout of a policy until it completes or halts',
    args: [{ name: 'name', description: 'policy' }],
    options: rolloutWaitTimeout,
    help:
      'Exits 0 when the rollout completed, 3 when it halted, was aborted or rolled back, 7 when the\n' +
      'wait timed out. Ctrl-C or a timeout stops following only: the rollout continues on the server.',
    load: () => import('./policy/rollout-status'),
  }),
  defineCommand({
    path: 'policy rollout pause',
    summary: 'Pause the latest rollout of a policy: no further wave goes out',
    args: [{ name: 'name', description: 'policy' }],
    load: async () => ({ handler: (await import('./policy/rollout-actions')).pause }),
  }),
  defineCommand({
    path: 'policy rollout resume',
    summary: 'Resume the latest rollout of a policy, paused or halted',
    args: [{ name: 'name', description: 'policy' }],
    load: async () => ({ handler: (await import('./policy/rollout-actions')).resume }),
  }),
  defineCommand({
    path: 'policy rollout abort',
    summary: 'Stop the latest rollout of a policy for good: its devices get the previous version again',
    args: [{ name: 'name', description: 'policy' }],
    load: async () => ({ handler: (await import('./policy/rollout-actions')).abort }),
  }),
  defineCommand({
    path: 'policy schema',
    summary: 'Print the JSON Schema of a policy file, for editors (also docs/policy.schema.json)',
    load: () => import('./policy/schema'),
  }),
  defineCommand({
    path: 'settings get',
    summary: "Show the org's safety settings",
    load: () => import('./settings/get'),
  }),
  defineCommand({
    path: 'settings set',
    summary: "Change the org's settings (admin)",
    args: [
      {
        name: 'assignments',
        description: 'KEY=VALUE: retention.<type>=DURATION|default, retentionAction=delete|anonymize',
        optional: true,
        variadic: true,
      },
    ],
    options: [
      {
        flags: '--approval-threshold <n>',
        description: 'a wipe or retire of more devices than this waits for a second admin (off: never)',
        parse: numberOrOff(0),
      },
      {
        flags: '--destructive-budget <n>',
        description: 'most wipes and retires the org may send in any hour (off: no limit)',
        parse: numberOrOff(1),
      },
    ],
    help:
      'retention.<type> is how long device events of that type are kept where the device policy does\n' +
      'not say (default 90d); retentionAction says what then happens to them: delete, or anonymize\n' +
      '(keep them without device, user or precise place). approvalThreshold=N|off and\n' +
      'destructiveBudgetPerHour=N|off work too.\n\n' +
      'Examples:\n  fleetops settings set --approval-threshold 50 --destructive-budget off\n' +
      '  fleetops settings set retention.location=30d retention.call-log=7d retentionAction=delete',
    load: () => import('./settings/set'),
  }),
  ...userCommands,
  ...auditCommands,
  complianceScanCommand,
  ...complianceCommands,
];
