import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ComplianceRulesDocument, type ComplianceRulesDocumentInput } from './compliance';

const exampleDir = new URL('../../../examples/compliance/', import.meta.url);
const read = (name: string) => readFileSync(new URL(name, exampleDir), 'utf8');

/** The rows of an indicator file, without its header comments. */
const rowsOf = (name: string) =>
  read(name)
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => line.split('\t'));

const document = ComplianceRulesDocument.parse(parse(read('rules.yaml')) as ComplianceRulesDocumentInput);
const ruleNamed = (name: string) => {
  const rule = document.rules.find((r) => r.name === name);
  if (!rule) throw new Error(`examples/compliance/rules.yaml has no rule ${name}`);
  return rule;
};

describe('examples/compliance', () => {
  it('rules.yaml is a valid rules document with one rule per check the issue asks for', () => {
    const kinds = document.rules.map((rule) => Object.keys(rule.check)[0]);
    expect(new Set(kinds)).toEqual(
      new Set([
        'osVersion',
        'passcodeSet',
        'storageEncrypted',
        'notRooted',
        'checkedInWithin',
        'policyInSync',
        'requiredApps',
        'blockedApps',
      ]),
    );
    expect(new Set(document.rules.map((rule) => rule.name)).size).toBe(document.rules.length);
    expect(ruleNamed('stale-check-in').check).toEqual({ checkedInWithin: '14d' });
    expect(ruleNamed('sideloaded-apps').severity).toBe('high');
  });

  it('blocks every indicator of the copied lists, by package id and by certificate, labelled with the app', () => {
    const rule = ruleNamed('no-stalkerware');
    expect(rule.severity).toBe('critical');
    expect(rule.escalation).toEqual([
      { action: 'notify', after: '0s' },
      { action: 'lock', after: '1d' },
      { action: 'wipe', after: '7d' },
    ]);
    if (!('blockedApps' in rule.check)) throw new Error('no-stalkerware is not a blockedApps rule');
    const matchers = rule.check.blockedApps;

    const packages = rowsOf('stalkerware-packages.tsv');
    const certificates = rowsOf('stalkerware-certificates.tsv');
    expect(packages).toHaveLength(616);
    for (const [packageId, app] of packages) {
      const matcher = matchers.find((m) => m.packageId === packageId);
      expect(matcher, packageId).toBeDefined();
      expect(matcher!.label!.split(', ')).toContain(app);
    }
    for (const [digest, app] of certificates) {
      const matcher = matchers.find((m) => m.certificate === digest);
      expect(matcher, digest).toBeDefined();
      expect(matcher!.label!.split(', ')).toContain(app);
    }
    // Nothing but the lists: each matcher is one package id or one digest.
    const listed = new Set([...packages, ...certificates].map(([indicator]) => indicator));
    for (const matcher of matchers) expect(listed).toContain(matcher.packageId ?? matcher.certificate);
  });

  it('keeps the source, commit and licence of the indicators, and credits them', () => {
    for (const name of ['stalkerware-packages.tsv', 'stalkerware-certificates.tsv']) {
      const header = read(name)
        .split('\n')
        .filter((line) => line.startsWith('#'))
        .join('\n');
      expect(header).toContain('AssoEchap/stalkerware-indicators');
      expect(header).toMatch(/commit [0-9a-f]{40}/);
      expect(header).toContain('CC-BY 4.0');
    }
    const notice = read('NOTICE');
    expect(notice).toContain('https://github.com/AssoEchap/stalkerware-indicators');
    expect(notice).toContain('CC BY 4.0');
  });
});
