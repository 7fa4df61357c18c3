import { readFile } from 'node:fs/promises';
import { PolicyDocument, type PolicyDocument as PolicyDocumentType } from '@fleetops/protocol';
import { LineCounter, parseAllDocuments, type YAMLError } from 'yaml';
import { findPolicyFiles } from './files';
import { schemaProblems } from './issues';
import { type PolicyProblem, sortProblems } from './problems';
import { linePos, positionOf, type SourceFile } from './source';

/** A policy file that parsed and fits the schema. */
export interface LoadedPolicy {
  source: SourceFile;
  document: PolicyDocumentType;
}

/** What reading policy files found: the valid policies, in file order, and every problem. */
export interface LoadResult {
  files: string[];
  policies: LoadedPolicy[];
  problems: PolicyProblem[];
}

/**
 * Reads the policy files under `paths` and checks each: YAML syntax, one policy per file, the
 * schema, and names used by two files. Every problem of every file is reported, not the first.
 */
export async function loadPolicies(paths: string[]): Promise<LoadResult> {
  const files = await findPolicyFiles(paths);
  const policies: LoadedPolicy[] = [];
  const problems: PolicyProblem[] = [];
  for (const file of files) {
    const result = parsePolicyFile(file, await readFile(file, 'utf8'));
    if ('document' in result) policies.push(result);
    else problems.push(...result.problems);
  }
  problems.push(...duplicateNames(policies));
  return { files, policies, problems: sortProblems(problems, files) };
}

/** Parses one policy file's text: the policy it holds, or what is wrong with it. */
export function parsePolicyFile(file: string, text: string): LoadedPolicy | { problems: PolicyProblem[] } {
  const lineCounter = new LineCounter();
  const documents = parseAllDocuments(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number) => ({ file, ...linePos({ lineCounter }, offset), path: [] });
  if (!Array.isArray(documents)) return { problems: [{ ...at(0), message: 'the file has no policy' }] };
  // After the first syntax error the parser's view of the file is off: later errors are mostly echoes of it.
  const syntax = documents.flatMap((d) => d.errors)[0];
  if (syntax)
    return { problems: [{ ...at(syntaxErrorOffset(syntax, text)), message: yamlMessage(syntax, text) }] };
  if (documents.length === 0) return { problems: [{ ...at(0), message: 'the file has no policy' }] };
  if (documents.length > 1) {
    return {
      problems: [
        {
          ...at(documents[1]!.range[0]),
          message: `one policy per file: this file has ${documents.length} documents (split them into files)`,
        },
      ],
    };
  }
  const source: SourceFile = { file, document: documents[0]!, lineCounter };
  const parsed = PolicyDocument.safeParse(source.document.toJS(), { reportInput: true });
  if (!parsed.success) return { problems: schemaProblems(source, parsed.error.issues) };
  return { source, document: parsed.data };
}

/** A quoted value the parser found unclosed at the end of the file: `key: "text` with no closing quote. */
const UNCLOSED_QUOTE = /^(\s*(?:-\s+)?(?:[^\s#"'][^#]*?:\s+)?)(["'])(?!.*\2\s*(?:#.*)?$)/;

/** Where to point at a syntax error: an unclosed quote where it opens, not where the file ends. */
function syntaxErrorOffset(error: YAMLError, text: string): number {
  if (error.code !== 'MISSING_CHAR' || !/quote/.test(error.message)) return error.pos[0];
  let offset = 0;
  for (const line of text.split('\n')) {
    const match = UNCLOSED_QUOTE.exec(line);
    if (match) return offset + match[1]!.length;
    offset += line.length + 1;
  }
  return error.pos[0];
}

/** The YAML parser's message, lower-cased as the CLI's messages are, naming a duplicate key. */
function yamlMessage(error: YAMLError, text: string): string {
  if (error.code === 'DUPLICATE_KEY') {
    const key = /^["']?([^"':\n]*)/.exec(text.slice(error.pos[0]))?.[1]?.trim();
    return `duplicate key ${key}: a key may appear once in a mapping`;
  }
  if (error.code === 'MISSING_CHAR' && /quote/.test(error.message)) return 'this quoted text is never closed';
  return error.message.charAt(0).toLowerCase() + error.message.slice(1);
}

/** A name used by an earlier file, reported at the later file's `metadata.name`. */
function duplicateNames(policies: LoadedPolicy[]): PolicyProblem[] {
  const seen = new Map<string, string>();
  const problems: PolicyProblem[] = [];
  for (const { source, document } of policies) {
    const name = document.metadata.name;
    const earlier = seen.get(name);
    if (earlier === undefined) {
      seen.set(name, source.file);
      continue;
    }
    const path = ['metadata', 'name'];
    problems.push({
      file: source.file,
      ...positionOf(source, path),
      path,
      message: `${name} is also the name of the policy in ${earlier}`,
    });
  }
  return problems;
}
