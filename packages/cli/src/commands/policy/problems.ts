import type { FieldPath, Position } from './source';
import { formatPath } from './source';

/** Something wrong with a policy file, pointed at where it is written. */
export interface PolicyProblem extends Position {
  file: string;
  /** The field concerned; empty for a problem of the whole file (YAML syntax, several documents). */
  path: FieldPath;
  message: string;
}

/** `file:line:col: field.path: message`, as compilers and editors expect it. */
export function formatProblem(problem: PolicyProblem): string {
  const where = `${problem.file}:${problem.line}:${problem.col}`;
  return problem.path.length > 0
    ? `${where}: ${formatPath(problem.path)}: ${problem.message}`
    : `${where}: ${problem.message}`;
}

/** Problems in file order, then by position. */
export function sortProblems(problems: PolicyProblem[], files: string[]): PolicyProblem[] {
  const order = new Map(files.map((file, i) => [file, i]));
  return problems.toSorted(
    (a, b) => (order.get(a.file) ?? 0) - (order.get(b.file) ?? 0) || a.line - b.line || a.col - b.col,
  );
}
