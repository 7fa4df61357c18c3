import type { FieldIssue } from '@fleetops/protocol';
import type { LoadedPolicy } from './load';
import type { PolicyProblem } from './problems';
import { positionOf } from './source';

/**
 * The issues a server found in the documents sent (paths `documents.<index>.<field>`), each
 * pointed at the file of that document and the field in it. An issue of no document is
 * reported on the first file.
 */
export function serverProblems(policies: LoadedPolicy[], issues: FieldIssue[]): PolicyProblem[] {
  return issues.map((issue) => {
    const [head, index, ...rest] = issue.path.replace(/^body\./, '').split('.');
    const policy = head === 'documents' ? policies[Number(index)] : undefined;
    const target = policy ?? policies[0]!;
    const path = policy ? rest.map((s) => (/^\d+$/.test(s) ? Number(s) : s)) : [];
    const message = policy ? issue.message : `${issue.path}: ${issue.message}`;
    return { file: target.source.file, ...positionOf(target.source, path), path, message };
  });
}
