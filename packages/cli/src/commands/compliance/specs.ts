import { defineCommand, type OptionSpec } from '../../command';
import { positiveInt } from '../../options';
import { timeBound } from '../audit/options';
import { count, EVENT_TYPES, eventType, grace, REMEDIATION_ACTIONS, ruleName, SEVERITIES } from './options';

const rulesFileArg = { name: 'file', description: 'rules file (YAML or JSON) with kind: ComplianceRules' };

/** `--fail-on SEVERITY`: exit 4 when a violation is at or above it. */
export const failOnOption: OptionSpec = {
  flags: '--fail-on <severity>',
  description: 'exit 4 when a violation is at or above this severity (high: high and critical)',
  choices: SEVERITIES,
};

const RULES_FILE_HELP =
  'A rules file holds the whole rule set:\n' +
  '  apiVersion: fleetops.dev/v1\n' +
  '  kind: ComplianceRules\n' +
  '  rules:\n' +
  '    - name: no-stalkerware\n' +
  '      severity: critical\n' +
  '      check: { blockedApps: [{ packageId: com.apspy.app, label: TheTruthSpy }] }\n' +
  '      escalation: [{ action: notify, after: 0s }, { action: lock, after: 2d }]\n' +
  'Checks: blockedApps, allowedApps, requiredApps, osVersion, passcodeSet, storageEncrypted,\n' +
  'notRooted, checkedInWithin, policyInSync (docs/compliance.md).';

/** `fleetops compliance …`: rules over installed apps and device state, and what to do about violations. */
export const complianceCommands = [
  defineCommand({
    path: 'compliance rules get',
    summary: "Print the org's rule set as a rules file that `compliance rules apply` takes back",
    help:
      'Prints YAML (the default, and -o yaml), JSON (-o json) or one line per rule (-o csv); the\n' +
      'revision goes to stderr.\n\n' +
      'Example:\n  fleetops compliance rules get > rules.yaml',
    load: () => import('./rules-get'),
  }),
  defineCommand({
    path: 'compliance rules apply',
    summary: 'Replace the rule set with a rules file, all or nothing',
    args: [rulesFileArg],
    options: [
      { flags: '--dry-run', description: 'show what would change, change nothing' },
      {
        flags: '--base-revision <n>',
        description:
          'refuse unless the stored rules are still at this revision (compliance rules get says it)',
        parse: count,
      },
    ],
    help:
      'Prints the rules added (+), changed (~) and removed (-), and warnings such as a blocklist glob\n' +
      'that matches every app installed. Every problem of the file is printed as\n' +
      'file:line:col: rules[2].check.blockedApps[0].packageId: message, and nothing is applied (exit 2).\n\n' +
      `${RULES_FILE_HELP}\n\n` +
      'Example:\n  fleetops compliance rules apply rules.yaml --dry-run',
    load: () => import('./rules-apply'),
  }),
  defineCommand({
    path: 'compliance rules import-blocklist',
    summary: 'Put lists of package ids or certificate digests into a blockedApps rule and apply it',
    args: [
      {
        name: 'files',
        description: 'lists: TSV (package<TAB>app…), CSV (.csv) or one entry per line; # starts a comment',
        variadic: true,
      },
    ],
    options: [
      {
        flags: '--rule <name>',
        description: 'the rule to fill: created, or its list replaced',
        parse: ruleName,
        required: true,
      },
      {
        flags: '--severity <severity>',
        description: "severity of the rule (default: the replaced rule's, else high)",
        choices: SEVERITIES,
      },
      {
        flags: '--label-column <n>',
        description: 'column that names the app behind each entry, shown with violations',
        parse: positiveInt,
        default: '2',
      },
      { flags: '--dry-run', description: 'show what would change, change nothing' },
    ],
    help:
      'Each entry is a package id (com.example.app, or a glob com.example.*) or a SHA-1 or SHA-256\n' +
      'signing-certificate digest (hex, with or without colons). A header row is skipped; an entry\n' +
      'listed twice is kept once, with both labels. A rule of that name keeps its description, where,\n' +
      'and escalation; only its list (and --severity) changes. The rule set is applied against the\n' +
      'revision it was read at: if someone applied rules meanwhile, nothing is applied. Bad lines are\n' +
      'named file:line (exit 2).\n\n' +
      'Example:\n' +
      '  fleetops compliance rules import-blocklist stalkerware-packages.tsv stalkerware-certificates.tsv \\\n' +
      '    --rule no-stalkerware --severity critical',
    load: () => import('./import-blocklist'),
  }),
  defineCommand({
    path: 'compliance impact',
    summary: 'What a rules file would flag and do on the live fleet, before it is applied',
    args: [rulesFileArg],
    help:
      'Prints "N devices become non-compliant, M would be locked, W wiped" and per rule the devices\n' +
      'it flags, those new to it, and how many each escalation step would reach if nothing is\n' +
      'fixed. Nothing is stored. -o json gives the whole answer.\n\n' +
      'Example:\n  fleetops compliance impact rules.yaml',
    load: () => import('./impact'),
  }),
  defineCommand({
    path: 'compliance test',
    summary: 'Evaluate a rules file against recorded device inventory, offline (no server)',
    args: [rulesFileArg],
    options: [
      {
        flags: '--inventory <file>',
        description:
          'JSON of devices with their apps and state: {"devices": [{serial, os, osVersion, apps…}]}',
        required: true,
      },
      failOnOption,
    ],
    help:
      'Prints one line per device and broken rule, with the evidence. Exits 4 with --fail-on when a\n' +
      'violation is at or above that severity, so a CI job can test rules before they are applied.\n\n' +
      'Example:\n  fleetops compliance test rules.yaml --inventory fixtures.json --fail-on high',
    load: () => import('./offline-test'),
  }),
  defineCommand({
    path: 'compliance remediate',
    summary: 'Turn violations past their grace period into jobs (lock, wipe, remove-app, notify)',
    options: [
      {
        flags: '--rule <name>',
        description: 'only violations of this rule (default: every rule with an escalation ladder)',
        parse: ruleName,
      },
      {
        flags: '--action <action>',
        description: "this action instead of the ladder's due step (needs --rule)",
        choices: REMEDIATION_ACTIONS,
      },
      {
        flags: '--grace <duration>',
        description: 'with --action: only violations at least this old, e.g. 24h',
        parse: grace,
      },
      {
        flags: '--where <selector>',
        description: "only devices matching a selector, e.g. 'group = sales' (docs/selectors.md)",
      },
      { flags: '--dry-run', description: 'show the plan: jobs, devices, skipped violations; create nothing' },
      { flags: '-y, --yes', description: 'do not ask for confirmation' },
      { flags: '--reason <text>', description: 'why: recorded with each job' },
      {
        flags: '--expect-count <n>',
        description: 'refuse (exit 8) unless exactly this many devices would be acted on',
        parse: count,
      },
      {
        flags: '--max-targets <n>',
        description: 'refuse (exit 8) when more devices would be acted on',
        parse: positiveInt,
      },
    ],
    help:
      "Without --action, each violation gets the step of its rule's escalation ladder that is due\n" +
      '(wipe becomes retire on BYOD devices); a step already taken for a violation is not taken\n' +
      'again, so running it twice creates nothing new. One job per command, with the usual guards:\n' +
      'approval threshold, destructive budget, roles (wipe needs an admin token).\n' +
      'A lock or wipe is confirmed at a terminal by typing the number of devices; scripts pass --yes\n' +
      '(else exit 2). Prints the job ids; exits 6 when a job awaits approval by another admin.\n\n' +
      'Examples:\n' +
      '  fleetops compliance remediate --rule no-stalkerware --action lock --grace 24h --dry-run\n' +
      '  fleetops compliance remediate --yes --reason "weekly compliance run"',
    load: () => import('./remediate'),
  }),
  defineCommand({
    path: 'compliance history',
    summary: 'The compliance rate over time: one line per scan of the whole fleet',
    options: [
      {
        flags: '--since <time>',
        description: 'scans from this time: 30d (back from now), 2026-01-01 (UTC) or a timestamp',
        parse: timeBound,
      },
      { flags: '--until <time>', description: 'scans before this time (as --since)', parse: timeBound },
    ],
    help:
      'RATE is the share of devices breaking no rule. -o csv gives the same columns, for a chart.\n\n' +
      'Example:\n  fleetops compliance history --since 30d -o csv > compliance.csv',
    load: () => import('./history'),
  }),
  defineCommand({
    path: 'compliance events',
    summary: 'When devices started (device.noncompliant) and stopped (device.compliant) breaking rules',
    options: [
      {
        flags: '--since <time>',
        description: 'events from this time: 24h, 7d (back from now), 2026-01-01 (UTC) or a timestamp',
        parse: timeBound,
      },
      { flags: '--device <id>', description: 'only events of this device' },
      {
        flags: '--type <type>',
        description: `only this type: noncompliant or compliant (${EVENT_TYPES.join(', ')})`,
        parse: eventType,
      },
      { flags: '--rule <name>', description: 'only events of this rule', parse: ruleName },
      { flags: '--limit <n>', description: 'at most this many (default: all)', parse: positiveInt },
    ],
    help:
      'Oldest first. SOURCE says whether a fleet scan or the check-in of the device found it.\n\n' +
      'Example:\n  fleetops compliance events --type noncompliant --since 7d',
    load: () => import('./events'),
  }),
];
