import { defineCommand } from '../../command';
import { SEVERITIES } from './options';

/** `fleetops compliance scan`: run a scan, or show one, as a table, data, or a JUnit or HTML report. */
export const complianceScanCommand = defineCommand({
  path: 'compliance scan',
  summary: 'Scan the fleet against the compliance rules and list the violations (exit 4 with --fail-on)',
  options: [
    {
      flags: '--where <selector>',
      description: "scan only these devices, e.g. 'group = finance' (docs/selectors.md)",
    },
    {
      flags: '--fail-on <severity>',
      description: 'exit 4 when a violation is at or above this severity (high: high and critical)',
      choices: SEVERITIES,
    },
    { flags: '--out <file>', description: 'write the -o junit or -o html report here (default: stdout)' },
    {
      flags: '--no-run',
      description: 'show an existing scan instead of running one (the latest by default)',
    },
    { flags: '--scan <id>', description: 'the scan to show: a scan id or latest (implies --no-run)' },
  ],
  reportFormats: ['junit', 'html'],
  help:
    'The table lists each device and rule broken, with the evidence (com.mspy.lite 6.0.9 (mSpy)) and\n' +
    'the next escalation step (locks in 2 days, wiped in 5 h, lock due now), then a summary line:\n' +
    'devices scanned, non-compliant, compliance rate and devices by their worst severity. -o json,\n' +
    'ndjson, csv and yaml stream the violations (the summary goes to stderr).\n\n' +
    'Two more formats are reports written whole, to --out FILE or stdout:\n' +
    '  -o junit  JUnit XML for CI: a <testsuite> per rule, a failing <testcase> per device breaking\n' +
    '            it (severity and evidence in <failure>); tests= counts the devices scanned, as\n' +
    '            passing devices are counted, not listed.\n' +
    '  -o html   one self-contained page: compliance rate over the last 90 days, violations by rule\n' +
    '            and by group, the worst devices with their evidence; no script, nothing fetched.\n\n' +
    'An empty fleet is not an error: "no devices to scan", exit 0.\n\n' +
    'Examples:\n  fleetops compliance scan\n' +
    "  fleetops compliance scan --where 'group = finance' --fail-on high -o junit --out scan.xml\n" +
    '  fleetops compliance scan -o html --out report.html\n' +
    '  fleetops compliance scan --no-run -o csv > latest-violations.csv',
  load: () => import('./scan'),
});
