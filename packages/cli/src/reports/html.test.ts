import { describe, expect, it } from 'vitest';
import { findAll, parseXml, textOf, type XmlElement } from '../../test/xml';
import { htmlReport } from './html';
import { CHART_COLORS } from './html-charts';
import { emptyScan, history, NOW, results, scan } from './scan-fixtures';

const page = htmlReport({ scan, history, results, now: NOW });
const root = parseXml(page);
const charts = findAll(root, 'svg');
const byLabel = (label: string) => charts.find((svg) => svg.attributes['aria-label'] === label)!;
const filled = (svg: XmlElement, color: string) =>
  findAll(svg, 'rect').filter((rect) => rect.attributes.fill === color);

describe('htmlReport', () => {
  it('is one page that loads nothing from elsewhere and runs no script', () => {
    expect(page.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(findAll(root, 'script')).toEqual([]);
    expect(findAll(root, 'link')).toEqual([]);
    expect(page).not.toMatch(/\bsrc=|\bhref=|url\(|@import/);
    expect(new Set(page.match(/https?:\/\/[^"\s]*/g))).toEqual(new Set(['http://www.w3.org/2000/svg']));
    const csp = findAll(root, 'meta').find((m) => m.attributes['http-equiv'] === 'Content-Security-Policy');
    expect(csp?.attributes.content).toMatch(/^default-src 'none';/);
  });

  it('draws the compliance rate over time as a line through one dot per scan', () => {
    const chart = byLabel('Compliance rate over time');
    const [line] = findAll(chart, 'path');
    expect(line?.attributes.stroke).toBe(CHART_COLORS.rate);
    expect(line?.attributes.d?.match(/[ML]/g)).toHaveLength(7);
    const dots = findAll(chart, 'circle');
    expect(dots).toHaveLength(7);
    expect(textOf(dots.at(-1)!)).toBe(
      '2026-03-10 12:00 UTC: 91.4% compliant (3 of 35 devices non-compliant)',
    );
    expect(findAll(chart, 'text').map(textOf)).toEqual(
      expect.arrayContaining(['100%', '70%', '2026-03-04', '2026-03-10']),
    );
  });

  it('draws the last scan of each day when there are too many to draw', () => {
    const hourly = Array.from({ length: 24 * 10 }, (_, hour) => ({
      ...history.points[0]!,
      at: new Date(NOW.getTime() - hour * 3_600_000).toISOString(),
    }));
    const dense = htmlReport({ scan, history: { points: hourly }, results, now: NOW });
    const chart = findAll(parseXml(dense), 'svg').find(
      (svg) => svg.attributes['aria-label'] === 'Compliance rate over time',
    );
    const dots = findAll(chart!, 'circle');
    expect(dots.length).toBeGreaterThanOrEqual(10);
    expect(dots.length).toBeLessThanOrEqual(11);
    expect(textOf(dots.at(-1)!)).toMatch(/^2026-03-10 12:00 UTC: /);
  });

  it('reads the times of scans an hour apart or less to the second', () => {
    const minutes = history.points.slice(0, 3).map((point, i) => ({
      ...point,
      at: new Date(NOW.getTime() + i * 90_000).toISOString(),
    }));
    const chart = findAll(
      parseXml(htmlReport({ scan, history: { points: minutes }, results, now: NOW })),
      'svg',
    )[0]!;
    expect(findAll(chart, 'text').map(textOf)).toEqual(expect.arrayContaining(['12:00:00', '12:03:00']));
  });

  it('draws a bar per rule, most broken first, and a bar per group against its devices', () => {
    const rules = byLabel('Devices breaking each rule');
    expect(filled(rules, CHART_COLORS.rules)).toHaveLength(4);
    expect(findAll(rules, 'title').map(textOf)[0]).toBe('os-minimum (high): 2 devices, 0 new in this scan');
    const groups = byLabel('Non-compliant devices by group');
    expect(filled(groups, CHART_COLORS.groups)).toHaveLength(2);
    expect(findAll(groups, 'title').map(textOf)).toEqual([
      'finance: 2 of 10 devices non-compliant (20.0%)',
      'sales: 1 of 25 devices non-compliant (4.0%)',
    ]);
  });

  it('lists the worst devices first, with each rule broken, its evidence and next step', () => {
    const rows = findAll(findAll(root, 'tbody')[0]!, 'tr');
    expect(rows.map((row) => textOf(findAll(row, 'strong')[0]!))).toEqual([
      'SER000001',
      'SER<b>&"2"',
      'SER000003',
    ]);
    const first = textOf(rows[0]!);
    expect(first).toContain('app com.mspy.lite 6.0.9 (mSpy), certificate AB12CD34');
    expect(first).toContain('locks in 2 days');
    expect(first).toContain('found 14, expected 15');
    expect(textOf(rows[1]!)).toContain('retired in 5 h');
    expect(textOf(rows[2]!)).toContain('lock due now');
  });

  it('escapes device text, which stays text', () => {
    expect(findAll(root, 'b')).toEqual([]);
    expect(page).toContain('SER&lt;b&gt;&amp;&quot;2&quot;');
    expect(page).toContain('Galaxy \ufffdS24');
  });

  it('shows the counts of the scan', () => {
    const cards = findAll(root, 'div')
      .filter((d) => d.attributes.class === 'card')
      .map(textOf);
    expect(cards).toEqual(
      expect.arrayContaining(['Devices scanned35', 'Non-compliant3', 'Compliance rate91.4%', 'Violations4']),
    );
  });

  it('says what is missing for an empty fleet with no history', () => {
    const empty = htmlReport({ scan: emptyScan, history: { points: [] }, results: [], now: NOW });
    const text = textOf(parseXml(empty));
    expect(text).toContain('no scan of the whole fleet yet');
    expect(text).toContain('no devices scanned');
    expect(text).toContain('No device breaks a rule.');
  });
});
