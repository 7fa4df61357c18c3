import { describe, expect, it } from 'vitest';
import { BlocklistFileError, mergeBlocklist, parseBlocklist } from './blocklist-file';
import { withBlocklistRule } from './blocklist-rule';

const PACKAGES = [
  '# Android package ids of stalkerware and watchware apps, one per line: package<TAB>app<TAB>type',
  '# License: CC-BY 4.0, (c) Echap and contributors.',
  'com.apspy.app\tTheTruthSpy\tstalkerware',
  'com.fone\tTheTruthSpy\tstalkerware',
  '',
  'com.sc.spyier.v2\tCocospy\tstalkerware',
  'com.sc.spyier.v2\tSpyier\tstalkerware',
].join('\n');

const CERTIFICATES = [
  '# Android signing-certificate SHA-1 digests of stalkerware/watchware apps: digest<TAB>app',
  '31A6ECECD97CF39BC4126B8745CD94A7C30BF81C\tTheTruthSpy',
  '36:e6:67:1b:c4:39:7f:47:5a:35:09:05:d9:a6:49:a5:ad:e9:7b:b2\tTheTruthSpy',
].join('\n');

/** The problems of a bad list, one per line as the CLI prints them. */
function problems(text: string, source = 'list.tsv'): string[] {
  try {
    parseBlocklist(text, source, 2);
  } catch (error) {
    expect(error).toBeInstanceOf(BlocklistFileError);
    expect((error as BlocklistFileError).exitCode).toBe(2);
    return (error as Error).message.split('\n');
  }
  throw new Error('expected the list to be refused');
}

describe('a blocklist file', () => {
  it('reads package<TAB>app<TAB>type lines, the app as label, skipping comments and blank lines', () => {
    expect(parseBlocklist(PACKAGES, 'stalkerware-packages.tsv', 2)).toEqual([
      { packageId: 'com.apspy.app', label: 'TheTruthSpy' },
      { packageId: 'com.fone', label: 'TheTruthSpy' },
      { packageId: 'com.sc.spyier.v2', label: 'Cocospy' },
      { packageId: 'com.sc.spyier.v2', label: 'Spyier' },
    ]);
  });

  it('reads digest<TAB>app lines as certificates, in upper case without colons', () => {
    expect(parseBlocklist(CERTIFICATES, 'stalkerware-certificates.tsv', 2)).toEqual([
      { certificate: '31A6ECECD97CF39BC4126B8745CD94A7C30BF81C', label: 'TheTruthSpy' },
      { certificate: '36E6671BC4397F475A350905D9A649A5ADE97BB2', label: 'TheTruthSpy' },
    ]);
  });

  it('reads a CSV with a header and quoted cells, and a plain list without labels', () => {
    const csv = 'package,app\n"com.spy.*","Spy, Inc. apps"\ncom.track.me,Tracker\n';
    expect(parseBlocklist(csv, 'list.csv', 2)).toEqual([
      { packageId: 'com.spy.*', label: 'Spy, Inc. apps' },
      { packageId: 'com.track.me', label: 'Tracker' },
    ]);
    expect(parseBlocklist('com.spy.one\r\n# not this\r\ncom.spy.two\r\n', 'list.txt', 2)).toEqual([
      { packageId: 'com.spy.one' },
      { packageId: 'com.spy.two' },
    ]);
  });

  it('takes the label from the column asked for', () => {
    expect(parseBlocklist('com.apspy.app\tTheTruthSpy\tstalkerware\n', 'list.tsv', 3)).toEqual([
      { packageId: 'com.apspy.app', label: 'stalkerware' },
    ]);
  });

  it('names every bad line by its number, and imports nothing', () => {
    const text = [
      '# header comment',
      'com.apspy.app\tTheTruthSpy',
      'not a package\tSomething',
      'spyapp\tNo dots',
      `com.ok.app\t${'x'.repeat(121)}`,
      'DEADBEEF\tShort digest',
    ].join('\n');
    expect(problems(text)).toEqual([
      'list.tsv:3: "not a package" is neither a package id such as com.example.app nor a SHA-1 or SHA-256 certificate digest',
      'list.tsv:4: "spyapp" is neither a package id such as com.example.app nor a SHA-1 or SHA-256 certificate digest',
      'list.tsv:5: label: Too big: expected string to have <=120 characters',
      'list.tsv:6: "DEADBEEF" is neither a package id such as com.example.app nor a SHA-1 or SHA-256 certificate digest',
    ]);
  });

  it('refuses a list with no entry', () => {
    expect(problems('# only a comment\n\n')).toEqual(['list.tsv: lists no package id or certificate digest']);
  });
});

describe('merging lists', () => {
  it('keeps each package or digest once, with the labels of every line naming it', () => {
    const entries = [
      ...parseBlocklist(PACKAGES, 'packages.tsv', 2),
      ...parseBlocklist(CERTIFICATES, 'certificates.tsv', 2),
      { packageId: 'com.fone', label: 'TheTruthSpy' },
    ];
    const merged = mergeBlocklist(entries);
    expect(merged.matchers).toEqual([
      { packageId: 'com.apspy.app', label: 'TheTruthSpy' },
      { packageId: 'com.fone', label: 'TheTruthSpy' },
      { packageId: 'com.sc.spyier.v2', label: 'Cocospy, Spyier' },
      { certificate: '31A6ECECD97CF39BC4126B8745CD94A7C30BF81C', label: 'TheTruthSpy' },
      { certificate: '36E6671BC4397F475A350905D9A649A5ADE97BB2', label: 'TheTruthSpy' },
    ]);
    expect(merged).toMatchObject({ packages: 3, certificates: 2, repeated: 2 });
  });
});

describe('the imported rule in the rule set', () => {
  const matchers = [{ packageId: 'com.apspy.app', label: 'TheTruthSpy' }];
  const existing = [
    { name: 'passcode', severity: 'medium' as const, check: { passcodeSet: true as const } },
    {
      name: 'no-stalkerware',
      description: 'Known stalkerware',
      severity: 'critical' as const,
      where: 'mode != BYOD',
      check: { blockedApps: [{ packageId: 'com.old.spy' }] },
      escalation: [{ action: 'lock' as const, after: '2d' }],
    },
  ];

  it('is added last, high unless said otherwise', () => {
    const { rules, replaced } = withBlocklistRule(existing, {
      name: 'spyware',
      matchers,
      description: 'Blocklist imported from list.tsv',
    });
    expect(replaced).toBe(false);
    expect(rules.map((r) => r.name)).toEqual(['passcode', 'no-stalkerware', 'spyware']);
    expect(rules[2]).toEqual({
      name: 'spyware',
      description: 'Blocklist imported from list.tsv',
      severity: 'high',
      check: { blockedApps: matchers },
    });
  });

  it('replaces the list of a rule of that name, keeping its place, where, escalation and severity', () => {
    const { rules, replaced } = withBlocklistRule(existing, {
      name: 'no-stalkerware',
      matchers,
      description: 'Blocklist imported from list.tsv',
    });
    expect(replaced).toBe(true);
    expect(rules[1]).toEqual({ ...existing[1], check: { blockedApps: matchers } });
    const lowered = withBlocklistRule(existing, {
      name: 'no-stalkerware',
      matchers,
      severity: 'low',
      description: 'Blocklist imported from list.tsv',
    });
    expect(lowered.rules[1]).toMatchObject({ severity: 'low', description: 'Known stalkerware' });
  });

  it('refuses to replace a rule that checks something else, or to hold more than a rule takes', () => {
    expect(() => withBlocklistRule(existing, { name: 'passcode', matchers, description: 'x' })).toThrow(
      'rule passcode checks passcodeSet, not blockedApps: an import would replace it',
    );
    const many = Array.from({ length: 5001 }, (_, i) => ({ packageId: `com.spy.app${i}` }));
    expect(() => withBlocklistRule(existing, { name: 'big', matchers: many, description: 'x' })).toThrow(
      '5001 entries are more than the 5000 one rule takes',
    );
  });
});
