import { describe, expect, it } from 'vitest';
import { formatProblem } from '../policy/problems';
import { type LoadedRules, parseRulesFile, serverRulesProblems } from './rules-file';

const GOOD = `apiVersion: fleetops.dev/v1
kind: ComplianceRules
rules:
  - name: no-stalkerware
    severity: critical
    check:
      blockedApps:
        - packageId: com.apspy.app
          label: TheTruthSpy
        - certificate: 31a6ececd97cf39bc4126b8745cd94a7c30bf81c
    escalation:
      - action: notify
      - action: lock
        after: 2d
  - name: os-minimum
    severity: high
    where: group = sales
    check:
      osVersion: { android: "14", ios: "17.4" }
`;

/** The problems of a file, as the CLI prints them. */
function problems(text: string, file = 'rules.yaml'): string[] {
  const result = parseRulesFile(file, text);
  if (!('problems' in result)) throw new Error('expected problems');
  return result.problems.map(formatProblem);
}

function loaded(text: string): LoadedRules {
  const result = parseRulesFile('rules.yaml', text);
  if ('problems' in result) throw new Error(result.problems.map(formatProblem).join('\n'));
  return result;
}

describe('a rules file', () => {
  it('parses into a document, with the defaults filled in and digests in upper case', () => {
    const { document } = loaded(GOOD);
    expect(document.rules.map((r) => r.name)).toEqual(['no-stalkerware', 'os-minimum']);
    expect(document.rules[0]!.escalation).toEqual([
      { action: 'notify', after: '0s' },
      { action: 'lock', after: '2d' },
    ]);
    expect(document.rules[0]!.check).toEqual({
      blockedApps: [
        { packageId: 'com.apspy.app', label: 'TheTruthSpy' },
        { certificate: '31A6ECECD97CF39BC4126B8745CD94A7C30BF81C' },
      ],
    });
  });

  it('may be JSON', () => {
    const json = JSON.stringify({
      apiVersion: 'fleetops.dev/v1',
      kind: 'ComplianceRules',
      rules: [{ name: 'passcode', severity: 'medium', check: { passcodeSet: true } }],
    });
    expect(parseRulesFile('rules.json', json)).toMatchObject({ document: { rules: [{ name: 'passcode' }] } });
  });

  it('names each bad field at its line and column, with its path', () => {
    const bad = GOOD.replace('packageId: com.apspy.app', 'packageId: "com.apspy app"')
      .replace('severity: high', 'severity: urgent')
      .replace('- action: lock', '- action: explode');
    expect(problems(bad)).toEqual([
      'rules.yaml:8:22: rules[0].check.blockedApps[0].packageId: a package id such as com.example.app, or a glob such as com.example.* (letters, digits, _ . *)',
      'rules.yaml:13:17: rules[0].escalation[1].action: expected one of "notify", "lock", "remove-app", "wipe", got "explode"',
      'rules.yaml:16:15: rules[1].severity: expected one of "low", "medium", "high", "critical", got "urgent"',
    ]);
  });

  it('points at an unknown field by its key, and at a missing one by its parent', () => {
    const bad = GOOD.replace('    severity: critical\n', '    severity: critical\n    colour: red\n').replace(
      '  - name: os-minimum\n    severity: high\n',
      '  - severity: high\n',
    );
    expect(problems(bad)).toEqual([
      'rules.yaml:6:5: rules[0].colour: unknown field',
      'rules.yaml:16:5: rules[1].name: required',
    ]);
  });

  it('refuses two rules of one name and a where that is not a selector', () => {
    const bad = GOOD.replace('name: os-minimum', 'name: no-stalkerware').replace(
      'where: group = sales',
      'where: group == sales',
    );
    expect(problems(bad)).toEqual([
      'rules.yaml:15:11: rules[1].name: no-stalkerware is also the name of rules[0]',
      `rules.yaml:17:12: rules[1].where: not a selector: selector error at column 7: expected '=', '!=', 'in' or 'not in' after "group", found '==' (write '=')`,
    ]);
  });

  it('reports YAML that does not parse at the mistake, once', () => {
    expect(problems('apiVersion: fleetops.dev/v1\nkind: "ComplianceRules\nrules: []\n')).toEqual([
      'rules.yaml:2:7: this quoted text is never closed',
    ]);
  });

  it('holds exactly one document', () => {
    expect(problems('')).toEqual(['rules.yaml:1:1: the file has no rules document']);
    expect(problems(`${GOOD}---\n${GOOD}`)).toEqual([
      'rules.yaml:20:1: one rules document per file: this file has 2 documents',
    ]);
  });
});

describe('problems the server finds in a rules file', () => {
  it('are pointed at the field they name in the file', () => {
    const rules = loaded(GOOD);
    const found = serverRulesProblems(rules, [
      { path: 'body.document.rules.1.where', message: 'unknown group field' },
      { path: 'rules.0.check.blockedApps.1.certificate', message: 'not a known digest' },
      { path: 'baseRevision', message: 'must be at most 3' },
    ]);
    expect(found.map(formatProblem)).toEqual([
      'rules.yaml:17:12: rules[1].where: unknown group field',
      'rules.yaml:10:24: rules[0].check.blockedApps[1].certificate: not a known digest',
      'rules.yaml:1:1: baseRevision: must be at most 3',
    ]);
  });
});
