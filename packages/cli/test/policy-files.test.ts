import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PolicyDocument } from '@fleetops/protocol';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadPolicies } from '../src/commands/policy/load';
import { formatProblem } from '../src/commands/policy/problems';
import { inSchemaOrder } from '../src/commands/policy/schema-order';
import { serverProblems } from '../src/commands/policy/server-issues';

const here = (path: string) => relative(process.cwd(), fileURLToPath(new URL(path, import.meta.url)));
const bad = here('./fixtures/policies/bad');
const examples = here('../../../examples/policy-repo/policies');

/** The problem lines of loading `paths`, as `policy validate` prints them. */
async function problemLines(...paths: string[]): Promise<string[]> {
  return (await loadPolicies(paths)).problems.map(formatProblem);
}

describe('each malformed policy file is reported at the field, as file:line:col: path: message', () => {
  const cases: [file: string, line: string][] = [
    // YAML syntax: the first error only, where it is
    ['tab-indent.yaml', '8:1: tabs are not allowed as indentation'],
    ['unclosed-quote.yaml', '5:16: this quoted text is never closed'],
    ['duplicate-key.yaml', '10:5: duplicate key cameraDisabled: a key may appear once in a mapping'],
    ['bad-indent.yaml', '12:1: all mapping items must start at the same column'],
    ['json-syntax.json', '8:1: flow map must end with a }'],
    // the shape of the file
    ['empty-file.yaml', '1:1: the file has no policy'],
    ['two-policies.yaml', '27:1: one policy per file: this file has 2 documents (split them into files)'],
    ['list-not-mapping.yaml', '1:1: expected a mapping, got a list'],
    ['wrong-api-version.yaml', '1:13: apiVersion: expected "fleetops.dev/v1", got "fleetops.dev/v2"'],
    ['wrong-kind.yaml', '2:7: kind: expected "Policy", got "Policies"'],
    ['missing-spec.yaml', '1:1: spec: required'],
    ['empty-spec.yaml', '6:1: spec: expected a mapping, got nothing (null)'],
    // unknown fields point at the key
    ['unknown-field.yaml', '8:5: spec.restrictions.cameraDisabld: unknown field'],
    ['unknown-top-level.yaml', '27:1: status: unknown field'],
    ['unknown-audit-category.yaml', '19:5: spec.audit.contacts: unknown field'],
    // wrong types and values
    ['wrong-type-boolean.yaml', '8:21: spec.restrictions.cameraDisabled: expected true or false, got "yes"'],
    ['json-wrong-type.json', '6:38: spec.restrictions.smsDisabled: expected true or false, got "true"'],
    [
      'wrong-type-number.yaml',
      '12:28: spec.passwordRequirements.passwordMinimumLength: expected a number, got "eight"',
    ],
    ['not-whole-number.yaml', '26:15: spec.assignment.priority: expected a whole number, got 2.5'],
    [
      'number-too-small.yaml',
      '12:28: spec.passwordRequirements.passwordMinimumLength: must be at least 4, got 2',
    ],
    ['restrictions-list.yaml', '8:5: spec.restrictions: expected a mapping, got a list'],
    [
      'bad-enum.yaml',
      '11:22: spec.passwordRequirements.passwordQuality: expected one of "SOMETHING", "NUMERIC", "NUMERIC_COMPLEX", "ALPHABETIC", "ALPHANUMERIC", "COMPLEX", got "STRONG"',
    ],
    [
      'bad-location-mode.yaml',
      '10:19: spec.restrictions.locationMode: expected one of "LOCATION_USER_CHOICE", "LOCATION_ENFORCED", "LOCATION_DISABLED", got "ALWAYS_ON"',
    ],
    [
      'bad-rule.yaml',
      '15:13: spec.applications[0].rule: expected one of "required", "blocked", "allowed", got "mandatory"',
    ],
    [
      'bad-duration.yaml',
      '21:23: spec.audit.location.uploadInterval: a duration such as 15m, 24h, 30d or 2w',
    ],
    ['bad-retention.yaml', '23:15: spec.retention.location: a duration such as 15m, 24h, 30d or 2w'],
    [
      'bad-package-name.yaml',
      '16:20: spec.applications[1].packageName: a package id such as com.example.app, or a pattern such as com.example.*',
    ],
    ['bad-name.yaml', '4:9: metadata.name: policy names are lowercase letters, digits and -, at most 63'],
    [
      'bad-group-name.yaml',
      '25:21: spec.assignment.groups[1]: group names are letters, digits, spaces and . _ / -',
    ],
    // rules across fields
    [
      'blocked-also-required.yaml',
      '16:20: spec.applications[1].packageName: com.example.mail is both required (applications[0]) and blocked',
    ],
    [
      'app-listed-twice.yaml',
      '16:20: spec.applications[1].packageName: com.example.mail is listed twice (also applications[0])',
    ],
    ['empty-groups.yaml', '25:13: spec.assignment.groups: needs at least 1 entry'],
    // missing fields point at the field that should hold them
    ['missing-assignment.yaml', '7:3: spec.assignment: required'],
    ['missing-priority.yaml', '25:5: spec.assignment.priority: required'],
    ['missing-name.yaml', '4:3: metadata.name: required'],
    ['missing-package-name.yaml', '16:7: spec.applications[1].packageName: required'],
    ['audit-missing-enabled.yaml', '20:7: spec.audit.location.enabled: required'],
  ];

  it.each(cases)('%s', async (file, line) => {
    expect(await problemLines(join(bad, file))).toEqual([`${join(bad, file)}:${line}`]);
  });

  it('a name used by two files is reported at the second one, naming the first', async () => {
    const dir = join(bad, 'duplicate-names');
    expect(await problemLines(dir)).toEqual([
      `${dir}/b.yaml:4:9: metadata.name: corp-baseline is also the name of the policy in ${dir}/a.yaml`,
    ]);
  });

  it('every bad file of a directory is reported, in file order, not only the first', async () => {
    const lines = await problemLines(bad);
    expect(lines).toHaveLength(cases.length + 1);
    expect(lines.map((l) => l.split(':')[0])).toEqual(
      [...cases.map(([file]) => join(bad, file)), join(bad, 'duplicate-names/b.yaml')].sort(),
    );
  });
});

describe('the example policy repository', () => {
  it('every example policy is valid', async () => {
    const { files, policies, problems } = await loadPolicies([examples]);
    expect(problems.map(formatProblem)).toEqual([]);
    expect(policies.map((p) => p.document.metadata.name)).toEqual([
      'byod-minimal',
      'corp-baseline',
      'kiosk-lockdown',
      'sales-field',
    ]);
    expect(files).toHaveLength(4);
  });
});

describe('issues the server found', () => {
  it('documents.<i>.<path> points at the field in the file of document i', async () => {
    const { policies } = await loadPolicies([examples]);
    const problems = serverProblems(policies, [
      {
        path: 'documents.3.spec.assignment.groups',
        message: 'no device or enrollment token has group field',
      },
      {
        path: 'documents.0.spec.assignment.priority',
        message: 'corp-baseline has priority 10 for group staff too',
      },
    ]);
    expect(problems.map(formatProblem)).toEqual([
      `${examples}/sales-field.yaml:${lineOf('sales-field.yaml', 'groups:')}:13: spec.assignment.groups: no device or enrollment token has group field`,
      `${examples}/byod-minimal.yaml:${lineOf('byod-minimal.yaml', 'priority:')}:15: spec.assignment.priority: corp-baseline has priority 10 for group staff too`,
    ]);
  });
});

/** The 1-based line of the first line of an example file containing `text`. */
function lineOf(file: string, text: string): number {
  return (
    readFileSync(join(examples, file), 'utf8')
      .split('\n')
      .findIndex((l) => l.includes(text)) + 1
  );
}

describe('pulled files', () => {
  it('keys come in the order of the schema, whatever order the server sent', () => {
    const sorted = {
      spec: {
        assignment: { priority: 1, groups: ['kiosk'] },
        restrictions: { smsDisabled: true, cameraDisabled: true },
      },
      metadata: { name: 'kiosk' },
      kind: 'Policy',
      apiVersion: 'fleetops.dev/v1',
    };
    const ordered = inSchemaOrder(PolicyDocument, sorted) as typeof sorted;
    expect(Object.keys(ordered)).toEqual(['apiVersion', 'kind', 'metadata', 'spec']);
    expect(Object.keys(ordered.spec)).toEqual(['restrictions', 'assignment']);
    expect(Object.keys(ordered.spec.restrictions)).toEqual(['cameraDisabled', 'smsDisabled']);
    expect(Object.keys(ordered.spec.assignment)).toEqual(['groups', 'priority']);
    expect(parse(JSON.stringify(ordered))).toEqual(sorted);
  });
});
