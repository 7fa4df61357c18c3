import type { ComplianceHistory, ComplianceResult, ComplianceScan, Severity } from '@fleetops/protocol';
import { evidenceLines } from './evidence';
import { groupChart, rateChart, ruleChart, utcMinute } from './html-charts';
import { escapeMarkup as e } from './markup';
import { nextStepText } from './next-step';
import { count, ratePercent, SEVERITIES_WORST_FIRST } from './summary';
import { type DeviceViolations, worstDevices } from './worst-devices';

/** What an HTML report shows. */
export interface HtmlReportInput {
  scan: ComplianceScan;
  /** Fleet-wide scans over time, for the compliance-rate chart. */
  history: ComplianceHistory;
  /** The scan's results, worst first. */
  results: Iterable<ComplianceResult>;
  /** When the report is made: next steps read relative to it. */
  now: Date;
}

/** Devices listed in the table of the worst. */
export const WORST_DEVICES = 25;

const PAGE_WIDTH = 1100;
const HALF_WIDTH = 530;

/** Text and background of each severity's badge: darker than the chart colours, never equal to them. */
const BADGES: Record<Severity, [ink: string, paper: string]> = {
  critical: ['#991b1b', '#fee2e2'],
  high: ['#9a3412', '#ffedd5'],
  medium: ['#854d0e', '#fef9c3'],
  low: ['#1e3a8a', '#dbeafe'],
};

/**
 * The report of a scan as one self-contained HTML page: inline CSS and inline SVG charts, no
 * script, no font, image or style from elsewhere (its Content-Security-Policy forbids them), so
 * it opens anywhere, offline and with JavaScript off. Every text from the server or a device is
 * escaped. The page is well-formed XML as well.
 */
export function htmlReport({ scan, history, results, now }: HtmlReportInput): string {
  const rules = ruleChart(scan, HALF_WIDTH);
  const groups = groupChart(scan, HALF_WIDTH);
  const worst = worstDevices(results, WORST_DEVICES);
  const title = `Compliance report ${utcMinute(scan.startedAt)}`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8" />
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:" />
<meta name="viewport" content="width=device-width, initial-scale=1" />
<title>${e(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>Compliance report</h1>
<p class="meta">${e(scopeText(scan))}</p>
</header>
${cards(scan)}
<section>
<h2>Compliance rate over time</h2>
<figure>${rateChart(history, PAGE_WIDTH, 240)}</figure>
</section>
<div class="columns">
<section>
<h2>Violations by rule</h2>
<figure>${rules.svg}</figure>
${moreNote(rules.hidden, 'rule', 'rules')}
</section>
<section>
<h2>Non-compliant devices by group</h2>
<figure>${groups.svg}</figure>
${moreNote(groups.hidden, 'group', 'groups')}
</section>
</div>
<section>
<h2>Worst devices</h2>
${worstTable(worst, now)}
</section>
<footer>Made by fleetops at ${e(utcMinute(now.toISOString()))} from scan ${e(scan.id)}.</footer>
</body>
</html>
`;
}

function scopeText(scan: ComplianceScan): string {
  const devices = scan.where ? `active devices where ${scan.where}` : 'all active devices';
  return `Scan of ${utcMinute(scan.startedAt)} · ${devices} · rules revision ${scan.rulesRevision}`;
}

function cards(scan: ComplianceScan): string {
  const card = (label: string, value: string, extra = '') =>
    `<div class="card${extra}"><div class="label">${e(label)}</div><div class="value">${e(value)}</div></div>`;
  const bySeverity = SEVERITIES_WORST_FIRST.map(
    (s) => `<li>${badge(s)} ${e(count(scan.devicesBySeverity[s]))}</li>`,
  ).join('');
  return `<div class="cards">
${card('Devices scanned', count(scan.deviceCount))}
${card('Non-compliant', count(scan.nonCompliantCount))}
${card('Compliance rate', ratePercent(scan.complianceRate))}
${card('Violations', count(scan.violationCount))}
<div class="card"><div class="label">Devices by worst severity</div><ul class="severities">${bySeverity}</ul></div>
</div>`;
}

const badge = (severity: Severity) => `<span class="badge ${severity}">${e(severity)}</span>`;

function moreNote(hidden: number, one: string, many: string): string {
  return hidden > 0 ? `<p class="note">and ${e(count(hidden))} more ${hidden === 1 ? one : many}</p>` : '';
}

function worstTable({ devices, total }: { devices: DeviceViolations[]; total: number }, now: Date): string {
  if (devices.length === 0) return '<p class="note">No device breaks a rule.</p>';
  const rows = devices.map(({ device, violations, worst }) => {
    const name = device.serial ?? device.deviceId;
    const platform = [device.model, device.os, device.osVersion].filter(Boolean).join(' · ');
    const broken = violations
      .map((v) => {
        const step = nextStepText(v.nextStep, now);
        const evidence = evidenceLines(v.evidence).map((line) => `<div class="evidence">${e(line)}</div>`);
        return (
          `<li>${badge(v.severity)} <strong>${e(v.rule)}</strong>` +
          `${step ? ` <span class="step">${e(step)}</span>` : ''}${evidence.join('')}</li>`
        );
      })
      .join('');
    return (
      `<tr><td><strong>${e(name)}</strong><div class="sub">${e(platform)}</div><div class="sub id">${e(device.deviceId)}</div></td>` +
      `<td>${e(device.group)}<div class="sub">${e(device.mode)}</div></td><td>${badge(worst)}</td>` +
      `<td>${e(count(violations.length))}</td><td><ul class="violations">${broken}</ul></td></tr>`
    );
  });
  const more =
    total > devices.length
      ? `<p class="note">The ${e(count(devices.length))} worst of ${e(count(total))} non-compliant devices.</p>`
      : '';
  return `<table>
<thead><tr><th>Device</th><th>Group</th><th>Worst</th><th>Rules</th><th>Rules broken and evidence</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>
${more}`;
}

const STYLE = `
body { margin: 0 auto; padding: 24px 50px; max-width: ${PAGE_WIDTH}px; font: 14px/1.45 system-ui, sans-serif; color: #111827; background: #ffffff; }
h1 { font-size: 24px; margin: 0; }
h2 { font-size: 16px; margin: 20px 0 8px; }
.meta, .note, footer { color: #4b5563; }
figure { margin: 0; }
svg { display: block; font: 12px system-ui, sans-serif; }
.cards { display: flex; gap: 12px; margin-top: 16px; }
.card { flex: 1; border: 1px solid #d1d5db; border-radius: 6px; padding: 10px 12px; }
.card .label { color: #4b5563; font-size: 12px; }
.card .value { font-size: 24px; font-weight: 600; }
.severities { list-style: none; margin: 4px 0 0; padding: 0; display: flex; flex-wrap: wrap; gap: 6px; }
.columns { display: flex; gap: 40px; }
.columns section { flex: 1; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: 6px 8px; border-bottom: 1px solid #e5e7eb; }
th { font-size: 12px; color: #4b5563; }
.sub { color: #4b5563; font-size: 12px; }
.id { font-family: ui-monospace, monospace; }
.violations { list-style: none; margin: 0; padding: 0; }
.violations li { margin-bottom: 4px; }
.evidence { font-family: ui-monospace, monospace; font-size: 12px; color: #374151; overflow-wrap: anywhere; }
.step { color: #4b5563; font-size: 12px; }
.badge { display: inline-block; padding: 0 6px; border-radius: 4px; font-size: 12px; font-weight: 600; }
${SEVERITIES_WORST_FIRST.map((s) => `.badge.${s} { color: ${BADGES[s][0]}; background: ${BADGES[s][1]}; }`).join('\n')}
footer { margin-top: 24px; font-size: 12px; }
`;
