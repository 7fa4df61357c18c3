import { readFile } from 'node:fs/promises';
import { LineCounter, parseAllDocuments } from 'yaml';
import type { z } from 'zod';
import { UsageError } from '../../errors';
import type { IO } from '../../io';
import { printable } from '../../output/printable';
import { schemaProblems } from '../policy/issues';
import { parsePolicyFile } from '../policy/load';
import { formatProblem, type PolicyProblem } from '../policy/problems';
import { linePos, type SourceFile } from '../policy/source';

/** A file that parsed and fits its schema, with what it takes to point back into its text. */
export interface LoadedDocument<T> {
  source: SourceFile;
  document: T;
}

/**
 * Parses the text of a YAML or JSON file holding one document of `schema`: the document, or
 * every problem found, each at its line and column with the field path. `what` names the
 * document in messages ("rules document").
 */
export function parseDocumentFile<S extends z.ZodType>(
  file: string,
  text: string,
  schema: S,
  what: string,
): LoadedDocument<z.output<S>> | { problems: PolicyProblem[] } {
  const lineCounter = new LineCounter();
  const documents = parseAllDocuments(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number) => ({ file, ...linePos({ lineCounter }, offset), path: [] });
  const parsed = Array.isArray(documents) ? documents : [];
  if (parsed.some((d) => d.errors.length > 0)) return { problems: syntaxProblems(file, text) };
  if (parsed.length === 0 || parsed[0]!.contents === null) {
    return { problems: [{ ...at(0), message: `the file has no ${what}` }] };
  }
  if (parsed.length > 1) {
    return {
      problems: [
        {
          ...at(parsed[1]!.range[0]),
          message: `one ${what} per file: this file has ${parsed.length} documents`,
        },
      ],
    };
  }
  const source: SourceFile = { file, document: parsed[0]!, lineCounter };
  const checked = schema.safeParse(source.document.toJS(), { reportInput: true });
  if (!checked.success) return { problems: schemaProblems(source, checked.error.issues) };
  return { source, document: checked.data };
}

/**
 * The policy files' loader words YAML syntax errors for people (an unclosed quote where it
 * opens, a duplicate key by name): a file that is not valid YAML gets the same report.
 */
function syntaxProblems(file: string, text: string): PolicyProblem[] {
  const result = parsePolicyFile(file, text);
  return 'problems' in result ? result.problems : [];
}

/** Reads a file's text; one that cannot be read is a usage error naming it. */
export async function readTextFile(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${path} (${(error as NodeJS.ErrnoException).code})`);
  }
}

/**
 * Writes each problem to stderr as `file:line:col: field.path: message` and fails with exit 2,
 * saying what did not happen (`consequence`, e.g. "nothing was applied").
 */
export function failWithProblems(io: IO, problems: PolicyProblem[], consequence: string): never {
  for (const problem of problems) io.stderr.write(`${printable(formatProblem(problem))}\n`);
  const files = [...new Set(problems.map((p) => p.file))].join(', ');
  const counted = `${problems.length} ${problems.length === 1 ? 'problem' : 'problems'}`;
  throw new UsageError(`${counted} in ${files}: ${consequence}`);
}
