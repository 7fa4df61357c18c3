import type { FieldIssue, PolicyDocument } from '@fleetops/protocol';

/**
 * What the schema cannot check of a policy set: names used twice, groups the org does not have
 * (`knownGroups`), and two policies of one group with the same priority (which would win?).
 * `kept` are live policies the documents leave in place; `at` names where document `i` sits in the request.
 */
export function policySetIssues(
  documents: PolicyDocument[],
  kept: PolicyDocument[],
  knownGroups: Set<string>,
  at: (index: number) => string = (index) => `documents.${index}`,
): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const names = new Map<string, number>();
  const priorities = new Map<string, string>();
  const claim = (document: PolicyDocument, holder: string) => {
    const { groups, priority } = document.spec.assignment;
    return groups.flatMap((group) => {
      const key = JSON.stringify([group, priority]);
      const earlier = priorities.get(key);
      if (earlier === undefined) priorities.set(key, holder);
      return earlier === undefined ? [] : [`${group} (also ${earlier})`];
    });
  };
  for (const document of kept) claim(document, `policy ${document.metadata.name}, live and kept`);
  documents.forEach((document, index) => {
    const { name } = document.metadata;
    const earlier = names.get(name);
    if (earlier !== undefined) {
      issues.push({
        path: `${at(index)}.metadata.name`,
        message: `policy ${name} is also defined in documents[${earlier}]: one document per policy`,
      });
      return;
    }
    names.set(name, index);
    document.spec.assignment.groups.forEach((group, g) => {
      if (knownGroups.has(group)) return;
      issues.push({
        path: `${at(index)}.spec.assignment.groups.${g}`,
        message: `no device or enrollment token of this org is in group ${group}`,
      });
    });
    const clashes = claim(document, `policy ${name}, documents[${index}]`);
    if (clashes.length > 0) {
      issues.push({
        path: `${at(index)}.spec.assignment.priority`,
        message: `priority ${document.spec.assignment.priority} is already used in group ${clashes.join(', ')}: give each policy of a group its own priority`,
      });
    }
  });
  return issues;
}
