import { defineCommand, type OptionSpec } from '../../command';
import { positiveInt } from '../../options';
import { AUDIT_TYPES, auditTypes, kebab, timeBound } from './options';

/** `--since` and `--until`, saying what they bound. */
const timeRange = (what: string): OptionSpec[] => [
  {
    flags: '--since <time>',
    description: `${what} from this time: 24h, 7d (back from now), 2026-01-01 (UTC) or a timestamp`,
    parse: timeBound,
  },
  { flags: '--until <time>', description: `${what} before this time (as --since)`, parse: timeBound },
];
const limit: OptionSpec = {
  flags: '--limit <n>',
  description: 'at most this many (default: all)',
  parse: positiveInt,
};

/** The filters of device events. */
const eventFilters: OptionSpec[] = [
  {
    flags: '--type <types>',
    description: `only these types, comma-separated: ${AUDIT_TYPES.map(kebab).join(', ')}`,
    parse: auditTypes,
  },
  { flags: '--device <id>', description: 'only events of this device' },
  { flags: '--group <group>', description: 'only events of devices now in this group' },
  { flags: '--user <user>', description: 'only events of this user (id or e-mail), as owner of the device' },
  ...timeRange('events that occurred'),
];

/** `fleetops audit …`: device audit events and the admin activity log. */
export const auditCommands = [
  defineCommand({
    path: 'audit query',
    summary: 'List device audit events, oldest first, streamed page by page',
    options: [...eventFilters, limit],
    help: 'Example:\n  fleetops audit query --device DEVICE_ID --type app-usage --since 24h',
    load: () => import('./query'),
  }),
  defineCommand({
    path: 'audit export',
    summary: 'Stream device audit events to a file as NDJSON, CSV or a JSON array; resumable',
    options: [
      ...eventFilters,
      {
        flags: '--redact',
        description: 'mask phone numbers, IMEIs, serials, e-mail addresses; round locations',
      },
      { flags: '--out <file>', description: 'file to write (- or none: stdout)' },
      { flags: '--resume', description: 'continue an interrupted export to --out where it stopped' },
      { flags: '--force', description: 'overwrite --out, starting over' },
    ],
    help:
      '-o ndjson (the default), -o csv or -o json chooses the format; without -o, a --out ending in .csv or\n' +
      '.json chooses it. The export streams in constant memory. While it writes a file it keeps\n' +
      '<file>.resume.json beside it: after a crash or Ctrl-C, the same command with --resume continues\n' +
      'where it stopped, and the file ends up as one uninterrupted export would have written it (ndjson\n' +
      'and csv only). The record is removed when the export completes. The file is readable by its\n' +
      'owner only.\n\n' +
      'Examples:\n  fleetops audit export --since 7d --type location,call-log -o ndjson --out audit.ndjson\n' +
      '  fleetops audit export --since 2026-01-01 -o csv --redact --out audit.csv\n' +
      '  fleetops audit export --since 7d --type location,call-log -o ndjson --out audit.ndjson --resume',
    load: () => import('./export'),
  }),
  defineCommand({
    path: 'audit activity',
    summary: 'The admin activity log, oldest first: who changed what, when and from where',
    options: [
      { flags: '--actor <token>', description: 'only changes made with this token (name or id)' },
      {
        flags: '--action <action>',
        description: 'only this action, e.g. devices.update, or a prefix such as users.',
      },
      { flags: '--target <id>', description: 'only changes to this device, user, job…' },
      ...timeRange('changes made'),
      limit,
    ],
    help: 'Example:\n  fleetops audit activity --actor alice --since 30d',
    load: () => import('./activity'),
  }),
  defineCommand({
    path: 'audit verify',
    summary: 'Verify the hash chain of the activity log and its signed checkpoints (exit 5 when broken)',
    options: [
      {
        flags: '--witness <file>',
        description:
          'the head a previous run saved: the log must still hold it; saved again after a good verify',
      },
    ],
    help:
      'Prints ok with the entries checked, the head and the latest checkpoint, or the first break:\n' +
      'an entry edited, removed or relinked, a checkpoint that does not match or is not signed by the\n' +
      'org key, or entries cut off the end. Exits 0 when the log verifies, 5 when it is broken.\n' +
      'A CI job that keeps the witness file between runs also catches the newest entries being removed.\n\n' +
      'Example:\n  fleetops audit verify --witness audit-head.json',
    load: () => import('./verify'),
  }),
];
