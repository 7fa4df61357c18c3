import { describe, expect, it } from 'vitest';
import { PolicyDocument, policyJsonSchema } from './policy';

const baseline = {
  apiVersion: 'fleetops.dev/v1',
  kind: 'Policy',
  metadata: { name: 'corp-baseline' },
  spec: {
    restrictions: { cameraDisabled: true, locationMode: 'LOCATION_ENFORCED' },
    passwordRequirements: { passwordQuality: 'NUMERIC_COMPLEX', passwordMinimumLength: 6 },
    applications: [
      { packageName: 'com.example.mail', rule: 'required', minVersion: '5.2' },
      { packageName: 'com.spy.*', rule: 'blocked' },
    ],
    audit: { location: { enabled: true, uploadInterval: '15m' } },
    retention: { location: '30d' },
    assignment: { groups: ['sales', 'field ops'], priority: 10 },
  },
};

describe('a policy document', () => {
  it('accepts a complete policy', () => {
    expect(PolicyDocument.parse(baseline).spec.assignment.priority).toBe(10);
  });

  it.each([
    ['an unknown field', { restrictions: { cameraDisabld: true } }, 'spec.restrictions'],
    ['a wrong type', { restrictions: { cameraDisabled: 'yes' } }, 'spec.restrictions.cameraDisabled'],
    ['a bad enum', { restrictions: { locationMode: 'ON' } }, 'spec.restrictions.locationMode'],
    ['a bad duration', { retention: { location: '30 days' } }, 'spec.retention.location'],
  ])('refuses %s at its path', (_, change, path) => {
    const result = PolicyDocument.safeParse({ ...baseline, spec: { ...baseline.spec, ...change } });
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((issue) => issue.path.join('.'))).toContain(path);
  });

  it('refuses an app that is both required and blocked, pointing at the second', () => {
    const applications = [
      { packageName: 'com.example.chat', rule: 'required' },
      { packageName: 'com.example.chat', rule: 'blocked' },
    ];
    const result = PolicyDocument.safeParse({ ...baseline, spec: { ...baseline.spec, applications } });
    expect(result.error!.issues[0]).toMatchObject({
      path: ['spec', 'applications', 1, 'packageName'],
      message: 'com.example.chat is both required (applications[0]) and blocked',
    });
  });

  it('publishes a JSON Schema editors can validate files with', () => {
    type Defs = Record<string, { properties: Record<string, unknown> }>;
    const schema = policyJsonSchema() as { $ref: string; $defs: Defs };
    expect(schema.$ref).toBe('#/$defs/PolicyDocument');
    expect(schema.$defs.PolicyDocument!.properties.apiVersion).toMatchObject({ const: 'fleetops.dev/v1' });
    expect(Object.keys(schema.$defs.PolicySpec!.properties)).toContain('restrictions');
  });
});
