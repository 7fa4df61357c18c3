import { attributes, escapeMarkup } from './markup';

/** A point of a line chart: x and y in data units, and the tooltip it shows. */
export interface LinePoint {
  x: number;
  y: number;
  title: string;
}

/** A tick of an axis: where (in data units) and what it reads. */
export interface Tick {
  at: number;
  text: string;
}

/** A line chart: one series, its axes' ranges and ticks, and its colour. */
export interface LineChart {
  width: number;
  height: number;
  points: LinePoint[];
  x: { min: number; max: number; ticks: Tick[] };
  y: { min: number; max: number; ticks: Tick[] };
  color: string;
  /** What the chart shows, for screen readers. */
  label: string;
  /** Shown in place of the line when there is no point. */
  empty: string;
}

const PLOT = { left: 56, right: 24, top: 12, bottom: 32 };
const AXIS = '#9ca3af';
const GRID = '#e5e7eb';
const INK = '#374151';

/** Number text for SVG coordinates: two decimals at most. */
const n = (value: number) => String(Math.round(value * 100) / 100);

/** The first and last of several x labels keep inside the chart: they align on its edges. */
const edgeAnchor = (index: number, length: number) =>
  length < 2 ? 'middle' : index === 0 ? 'start' : index === length - 1 ? 'end' : 'middle';

/**
 * An inline SVG line chart, with horizontal grid lines at the y ticks, a dot (with its tooltip)
 * at each point, and the x ticks below. Needs no script and no font beyond the page's own.
 */
export function lineChart(chart: LineChart): string {
  const { width, height, x, y } = chart;
  const plotWidth = width - PLOT.left - PLOT.right;
  const plotHeight = height - PLOT.top - PLOT.bottom;
  const px = (value: number) =>
    PLOT.left + (x.max === x.min ? plotWidth / 2 : ((value - x.min) / (x.max - x.min)) * plotWidth);
  const py = (value: number) => PLOT.top + (1 - (value - y.min) / (y.max - y.min || 1)) * plotHeight;
  const parts = [
    ...y.ticks.map(
      (tick) =>
        `<line${attributes({ x1: PLOT.left, x2: width - PLOT.right, y1: n(py(tick.at)), y2: n(py(tick.at)), stroke: GRID })}/>` +
        `<text${attributes({ x: PLOT.left - 8, y: n(py(tick.at) + 4), 'text-anchor': 'end', fill: INK })}>${escapeMarkup(tick.text)}</text>`,
    ),
    `<line${attributes({ x1: PLOT.left, x2: width - PLOT.right, y1: height - PLOT.bottom, y2: height - PLOT.bottom, stroke: AXIS })}/>`,
    ...x.ticks.map(
      (tick, i) =>
        `<text${attributes({ x: n(px(tick.at)), y: height - PLOT.bottom + 20, 'text-anchor': edgeAnchor(i, x.ticks.length), fill: INK })}>${escapeMarkup(tick.text)}</text>`,
    ),
  ];
  if (chart.points.length === 0) {
    parts.push(
      `<text${attributes({ x: n(PLOT.left + plotWidth / 2), y: n(PLOT.top + plotHeight / 2), 'text-anchor': 'middle', fill: INK })}>${escapeMarkup(chart.empty)}</text>`,
    );
  } else {
    const path = chart.points.map((p, i) => `${i === 0 ? 'M' : 'L'}${n(px(p.x))} ${n(py(p.y))}`).join(' ');
    parts.push(
      `<path${attributes({ d: path, fill: 'none', stroke: chart.color, 'stroke-width': 3, 'stroke-linejoin': 'round' })}/>`,
      ...chart.points.map(
        (p) =>
          `<circle${attributes({ cx: n(px(p.x)), cy: n(py(p.y)), r: 4, fill: chart.color })}><title>${escapeMarkup(p.title)}</title></circle>`,
      ),
    );
  }
  return svg(width, height, chart.label, parts);
}

/** A bar of a horizontal bar chart: its value, and optionally the total it is part of (a grey track). */
export interface Bar {
  label: string;
  value: number;
  /** The whole the value is part of, drawn as a track behind the bar. */
  of?: number;
  /** Text at the end of the bar, e.g. `2 of 10`. */
  text: string;
  title: string;
}

/** A horizontal bar chart: one row per bar, scaled to the largest value (or total). */
export interface BarChart {
  width: number;
  bars: Bar[];
  color: string;
  label: string;
  /** Shown in place of the bars when there is none. */
  empty: string;
}

const ROW = 30;
const BAR = 18;
const LABEL_WIDTH = 190;
const TEXT_WIDTH = 90;
const TRACK = '#e5e7eb';
/** Characters of a label that fit its column; the whole label is in the tooltip. */
const LABEL_CHARS = 26;

/** An inline SVG horizontal bar chart; each row's tooltip gives the exact numbers. */
export function barChart(chart: BarChart): string {
  const { width, bars } = chart;
  if (bars.length === 0) {
    const text = `<text${attributes({ x: 8, y: 24, fill: INK })}>${escapeMarkup(chart.empty)}</text>`;
    return svg(width, 40, chart.label, [text]);
  }
  const scale = Math.max(1, ...bars.map((b) => Math.max(b.value, b.of ?? 0)));
  const room = width - LABEL_WIDTH - TEXT_WIDTH;
  const rows = bars.map((bar, i) => {
    const top = i * ROW + (ROW - BAR) / 2;
    const label = bar.label.length > LABEL_CHARS ? `${bar.label.slice(0, LABEL_CHARS - 1)}…` : bar.label;
    const track =
      bar.of === undefined
        ? ''
        : `<rect${attributes({ x: LABEL_WIDTH, y: n(top), width: n((bar.of / scale) * room), height: BAR, fill: TRACK })}/>`;
    const length = bar.value > 0 ? Math.max(2, (bar.value / scale) * room) : 0;
    const end = LABEL_WIDTH + Math.max(length, bar.of === undefined ? 0 : (bar.of / scale) * room);
    return (
      `<g><title>${escapeMarkup(bar.title)}</title>` +
      `<text${attributes({ x: LABEL_WIDTH - 8, y: n(top + BAR - 4), 'text-anchor': 'end', fill: INK })}>${escapeMarkup(label)}</text>` +
      track +
      `<rect${attributes({ x: LABEL_WIDTH, y: n(top), width: n(length), height: BAR, fill: chart.color })}/>` +
      `<text${attributes({ x: n(end + 6), y: n(top + BAR - 4), fill: INK })}>${escapeMarkup(bar.text)}</text></g>`
    );
  });
  return svg(width, bars.length * ROW, chart.label, rows);
}

function svg(width: number, height: number, label: string, parts: string[]): string {
  return (
    `<svg${attributes({ xmlns: 'http://www.w3.org/2000/svg', width, height, viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': label })}>` +
    `${parts.join('')}</svg>`
  );
}
