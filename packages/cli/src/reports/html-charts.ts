import { type ComplianceHistory, type ComplianceScan, SEVERITY_RANK } from '@fleetops/protocol';
import { count, ratePercent } from './summary';
import { barChart, lineChart, type Tick } from './svg';

/** The colour of each chart's series; nothing else on the page uses them. */
export const CHART_COLORS = {
  rate: '#2563eb',
  rules: '#ea580c',
  groups: '#7c3aed',
} as const;

/** Bars shown per chart; the rest are counted below it. */
export const MAX_BARS = 15;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** `2026-03-10 11:59 UTC`. */
export const utcMinute = (iso: string | number): string =>
  `${new Date(iso).toISOString().slice(0, 16).replace('T', ' ')} UTC`;

/** Points drawn at most; past that, the last scan of each day stands for the day. */
export const MAX_POINTS = 200;

/**
 * The compliance rate of each fleet-wide scan over time (of each day's last scan when there are
 * many), on a y axis from a little below the lowest rate to 100%.
 */
export function rateChart(history: ComplianceHistory, width: number, height: number): string {
  const points = dailyWhenDense([...history.points].sort((a, b) => Date.parse(a.at) - Date.parse(b.at)));
  const xs = points.map((p) => Date.parse(p.at));
  const lowest = Math.min(1, ...points.map((p) => p.complianceRate));
  const yMin = Math.max(0, Math.floor((lowest - 0.05) * 10) / 10);
  const step = 1 - yMin <= 0.2 ? 0.05 : 1 - yMin <= 0.5 ? 0.1 : 0.2;
  const yTicks: Tick[] = [];
  for (let at = 1; at >= yMin - 1e-9; at -= step) yTicks.push({ at, text: `${Math.round(at * 100)}%` });
  const xMin = Math.min(...xs);
  const xMax = Math.max(...xs);
  return lineChart({
    width,
    height,
    color: CHART_COLORS.rate,
    label: 'Compliance rate over time',
    empty: 'no scan of the whole fleet yet',
    points: points.map((p, i) => ({
      x: xs[i]!,
      y: p.complianceRate,
      title:
        `${utcMinute(p.at)}: ${ratePercent(p.complianceRate)} compliant ` +
        `(${count(p.nonCompliantCount)} of ${count(p.deviceCount)} devices non-compliant)`,
    })),
    x: { min: xMin, max: xMax, ticks: points.length === 0 ? [] : timeTicks(xMin, xMax) },
    y: { min: yMin, max: 1, ticks: yTicks },
  });
}

/** The points as they are, or the last of each UTC day when there are more than {@link MAX_POINTS}. */
function dailyWhenDense<P extends { at: string }>(points: P[]): P[] {
  if (points.length <= MAX_POINTS) return points;
  const lastOfDay = new Map<string, P>();
  for (const point of points) lastOfDay.set(new Date(point.at).toISOString().slice(0, 10), point);
  return [...lastOfDay.values()];
}

/** Up to five times along the x axis: dates, or times of day (with seconds within an hour) for short spans. */
function timeTicks(min: number, max: number): Tick[] {
  const span = max - min;
  const text = (at: number) => {
    const iso = new Date(at).toISOString();
    if (span < HOUR) return iso.slice(11, 19);
    return span < 2 * DAY ? `${iso.slice(5, 10)} ${iso.slice(11, 16)}` : iso.slice(0, 10);
  };
  const ats = max === min ? [min] : [0, 1, 2, 3, 4].map((i) => min + ((max - min) * i) / 4);
  const ticks: Tick[] = [];
  for (const at of ats) if (!ticks.some((t) => t.text === text(at))) ticks.push({ at, text: text(at) });
  return ticks;
}

/** Devices breaking each rule, most first (worse severity first among equals). */
export function ruleChart(scan: ComplianceScan, width: number): { svg: string; hidden: number } {
  const rules = [...scan.byRule].sort(
    (a, b) => b.devices - a.devices || SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity],
  );
  const shown = rules.slice(0, MAX_BARS);
  const svg = barChart({
    width,
    color: CHART_COLORS.rules,
    label: 'Devices breaking each rule',
    empty: 'no rules in this scan',
    bars: shown.map((r) => ({
      label: r.rule,
      value: r.devices,
      text: `${count(r.devices)} · ${r.severity}`,
      title: `${r.rule} (${r.severity}): ${count(r.devices)} devices, ${count(r.newDevices)} new in this scan`,
    })),
  });
  return { svg, hidden: rules.length - shown.length };
}

/** Non-compliant devices of each group against its devices, most non-compliant first. */
export function groupChart(scan: ComplianceScan, width: number): { svg: string; hidden: number } {
  const groups = [...scan.byGroup].sort((a, b) => b.nonCompliant - a.nonCompliant || b.devices - a.devices);
  const shown = groups.slice(0, MAX_BARS);
  const svg = barChart({
    width,
    color: CHART_COLORS.groups,
    label: 'Non-compliant devices by group',
    empty: 'no devices scanned',
    bars: shown.map((g) => ({
      label: g.group,
      value: g.nonCompliant,
      of: g.devices,
      text: `${count(g.nonCompliant)} of ${count(g.devices)}`,
      title: `${g.group}: ${count(g.nonCompliant)} of ${count(g.devices)} devices non-compliant (${ratePercent(g.devices === 0 ? 0 : g.nonCompliant / g.devices)})`,
    })),
  });
  return { svg, hidden: groups.length - shown.length };
}
