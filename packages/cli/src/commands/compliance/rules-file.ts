import { ComplianceRulesDocument, type FieldIssue, parseSelector, SelectorError } from '@fleetops/protocol';
import type { IO } from '../../io';
import type { PolicyProblem } from '../policy/problems';
import { type FieldPath, positionOf } from '../policy/source';
import { failWithProblems, type LoadedDocument, parseDocumentFile, readTextFile } from './document-file';

/** A rules file that parsed, fits the schema and passed the checks made without a server. */
export type LoadedRules = LoadedDocument<ComplianceRulesDocument>;

/**
 * Parses a rules file's text (YAML or JSON): the document, or every problem with its line,
 * column and field path. Besides the schema, rule names must be unique and each `where` must
 * be a selector that parses.
 */
export function parseRulesFile(file: string, text: string): LoadedRules | { problems: PolicyProblem[] } {
  const loaded = parseDocumentFile(file, text, ComplianceRulesDocument, 'rules document');
  if ('problems' in loaded) return loaded;
  const problems = [...duplicateNames(loaded), ...badSelectors(loaded)];
  return problems.length > 0 ? { problems } : loaded;
}

/**
 * The rules file at `path`, valid; otherwise every problem is written to stderr as
 * `file:line:col: rules[2].check…: message` and the run fails with exit 2.
 */
export async function loadRulesFile(path: string, io: IO, consequence: string): Promise<LoadedRules> {
  const loaded = parseRulesFile(path, await readTextFile(path));
  if ('problems' in loaded) failWithProblems(io, loaded.problems, consequence);
  return loaded;
}

/**
 * The issues a server found in the document sent, each pointed at its field in the file: paths
 * such as `body.document.rules.2.where` or `rules.2.where`. An issue of no field of the document
 * is put at the start of the file, with its path.
 */
export function serverRulesProblems(rules: LoadedRules, issues: FieldIssue[]): PolicyProblem[] {
  return issues.map((issue) => {
    const segments = issue.path
      .replace(/^body\./, '')
      .replace(/^document(\.|$)/, '')
      .split('.');
    const inDocument = DOCUMENT_KEYS.has(segments[0]!);
    const path: FieldPath = inDocument ? segments.map((s) => (/^\d+$/.test(s) ? Number(s) : s)) : [];
    const message = inDocument || issue.path === '' ? issue.message : `${issue.path}: ${issue.message}`;
    return problemAt(rules, path, message);
  });
}

const DOCUMENT_KEYS = new Set(['apiVersion', 'kind', 'rules']);

function problemAt(rules: LoadedRules, path: FieldPath, message: string): PolicyProblem {
  return { file: rules.source.file, ...positionOf(rules.source, path), path, message };
}

/** A name an earlier rule has, reported at the later rule's `name`. */
function duplicateNames(rules: LoadedRules): PolicyProblem[] {
  const seen = new Map<string, number>();
  return rules.document.rules.flatMap((rule, index) => {
    const earlier = seen.get(rule.name);
    if (earlier === undefined) {
      seen.set(rule.name, index);
      return [];
    }
    return [problemAt(rules, ['rules', index, 'name'], `${rule.name} is also the name of rules[${earlier}]`)];
  });
}

/** A `where` that is not a selector (docs/selectors.md); the message gives the column of the mistake. */
function badSelectors(rules: LoadedRules): PolicyProblem[] {
  return rules.document.rules.flatMap((rule, index) => {
    if (rule.where === undefined) return [];
    try {
      parseSelector(rule.where);
      return [];
    } catch (error) {
      if (!(error instanceof SelectorError)) throw error;
      return [problemAt(rules, ['rules', index, 'where'], `not a selector: ${error.message}`)];
    }
  });
}
