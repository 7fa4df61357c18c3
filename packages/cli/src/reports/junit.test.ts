import { describe, expect, it } from 'vitest';
import { findAll, parseXml } from '../../test/xml';
import { junitReport } from './junit';
import { emptyScan, NOW, results, scan } from './scan-fixtures';

describe('junitReport', () => {
  const xml = junitReport(scan, results, NOW);
  const root = parseXml(xml);

  it('is well-formed XML with one suite per rule, rules nobody breaks included', () => {
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites')).toBe(true);
    expect(root.name).toBe('testsuites');
    const suites = findAll(root, 'testsuite');
    expect(suites.map((s) => [s.attributes.name, s.attributes.tests, s.attributes.failures])).toEqual([
      ['no-stalkerware', '35', '1'],
      ['os-minimum', '35', '2'],
      ['passcode-set', '35', '1'],
      ['storage-encrypted', '35', '0'],
    ]);
    expect(root.attributes).toMatchObject({ tests: String(35 * 4), failures: '4', time: '1.250' });
  });

  it('gives each device breaking a rule a failing test case with the severity and evidence', () => {
    const [stalkerware] = findAll(root, 'testsuite');
    const [testcase] = findAll(stalkerware!, 'testcase');
    expect(testcase!.attributes).toMatchObject({
      classname: 'compliance.no-stalkerware',
      name: 'SER000001 (00000001-aaaa-4bbb-8ccc-dddddddddddd)',
    });
    const [failure] = findAll(testcase!, 'failure');
    expect(failure!.attributes).toEqual({
      message: 'critical: com.mspy.lite 6.0.9 (mSpy)',
      type: 'critical',
    });
    expect(failure!.text).toContain('app com.mspy.lite 6.0.9 (mSpy), certificate AB12CD34');
    expect(failure!.text).toContain('next step: locks in 2 days (lock due 2026-03-12T12:00:00.000Z)');
    expect(findAll(root, 'property').find((p) => p.attributes.name === 'severity')?.attributes.value).toBe(
      'critical',
    );
  });

  it('escapes what devices report and drops what XML cannot hold', () => {
    const byod = findAll(root, 'testcase').find((t) => t.attributes.name?.startsWith('SER<b>'));
    expect(byod?.attributes.name).toBe('SER<b>&"2" (00000002-aaaa-4bbb-8ccc-dddddddddddd)');
    expect(xml).toContain('SER&lt;b&gt;&amp;&quot;2&quot;');
    const [failure] = findAll(byod!, 'failure');
    expect(failure!.text).toContain('model Galaxy \ufffdS24');
    expect(failure!.text).toContain('next step: retired in 5 h (retire due');
  });

  it('an empty fleet gives an empty, valid report', () => {
    const empty = parseXml(junitReport(emptyScan, [], NOW));
    expect(empty.attributes).toMatchObject({ tests: '0', failures: '0' });
    expect(findAll(empty, 'testsuite')).toEqual([]);
  });
});
