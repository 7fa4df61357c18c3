import { defineCommand } from '../../command';

const userArg = { name: 'user', description: 'user id or e-mail address' };

/** `fleetops users …`: the people who use managed devices. */
export const userCommands = [
  defineCommand({
    path: 'users create',
    summary: 'Open an account for a user',
    options: [
      { flags: '--email <email>', description: 'e-mail address (unique in the org)', required: true },
      { flags: '--name <name>', description: 'full name', required: true },
      { flags: '--phone <phone>', description: 'phone number in E.164 form, e.g. +14155550100' },
      { flags: '--external-id <id>', description: 'the id of this person in an HR or identity system' },
    ],
    load: () => import('./create'),
  }),
  defineCommand({
    path: 'users list',
    aliases: ['ls'],
    summary: 'List users, streamed page by page',
    options: [
      {
        flags: '--status <status>',
        description: 'only users in this status (default: all)',
        choices: ['active', 'disabled', 'offboarded', 'all'],
      },
    ],
    load: () => import('./list'),
  }),
  defineCommand({
    path: 'users get',
    summary: 'Show one user',
    args: [userArg],
    load: () => import('./get'),
  }),
  defineCommand({
    path: 'users import',
    summary: 'Open accounts for the users a CSV lists, all or nothing',
    args: [
      { name: 'file', description: 'CSV whose header names email and name, optionally phone and externalId' },
    ],
    help:
      'Every row is checked first: a bad row anywhere is reported with its line (exit 2) and nothing is\n' +
      'created. Rows whose e-mail already has an account are left as they are, so importing the same\n' +
      'file again creates nothing.\n\n' +
      'Example:\n  fleetops users import staff.csv',
    load: () => import('./import'),
  }),
  defineCommand({
    path: 'users disable',
    summary: 'Disable a user: their devices are refused from their next call to the server',
    args: [userArg],
    load: async () => ({ handler: (await import('./status')).disable }),
  }),
  defineCommand({
    path: 'users enable',
    summary: 'Enable a disabled user again',
    args: [userArg],
    load: async () => ({ handler: (await import('./status')).enable }),
  }),
  defineCommand({
    path: 'users offboard',
    summary: 'Offboard a user: their devices are refused from then on',
    args: [userArg],
    options: [
      { flags: '--retire-devices', description: "also retire (unenroll) the user's devices" },
      {
        flags: '--erase-personal-data',
        description:
          "also erase the user's name, e-mail and phone, and delete or anonymize (retentionAction) their events",
      },
      { flags: '-y, --yes', description: 'do not ask for confirmation' },
    ],
    help:
      'Asks for confirmation in a terminal; scripts must pass --yes (else exit 2).\n\n' +
      'Example:\n  fleetops users offboard alice@example.com --retire-devices --erase-personal-data --yes',
    load: () => import('./offboard'),
  }),
  defineCommand({
    path: 'users export-data',
    summary: 'Write everything stored about a user as one JSON object (right of access)',
    args: [userArg],
    options: [
      { flags: '--out <file>', description: 'file to write (- or none: stdout)' },
      { flags: '--force', description: 'overwrite the file if it exists' },
    ],
    help:
      'The object holds the user, their devices with apps, their events, the commands sent to their\n' +
      'devices and the activity log entries about them. The file is readable by its owner only.\n\n' +
      'Example:\n  fleetops users export-data alice@example.com --out alice.json',
    load: () => import('./export-data'),
  }),
];
