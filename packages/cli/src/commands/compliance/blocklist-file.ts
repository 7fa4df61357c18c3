import { AppMatcher, type AppMatcherInput } from '@fleetops/protocol';
import { readCsvRows } from '../../csv-rows';
import { UsageError } from '../../errors';

/** The most matchers one rule takes (the protocol's limit of a blockedApps list). */
export const MAX_BLOCKLIST_ENTRIES = 5000;

/** A list of package ids or certificate digests that cannot be imported as it is: every bad line. */
export class BlocklistFileError extends UsageError {
  override name = 'BlocklistFileError';
  constructor(source: string, problems: string[]) {
    super(problems.map((problem) => `${source}:${problem}`).join('\n'));
  }
}

/** Matchers without repeats, and how many of each kind. */
export interface Blocklist {
  matchers: AppMatcherInput[];
  packages: number;
  certificates: number;
  /** Entries naming a package or digest an earlier one already named (their labels are merged). */
  repeated: number;
}

interface Row {
  cells: string[];
  line: number;
}

/** SHA-1 or SHA-256 in hex, with or without `:` between the bytes, as tools print fingerprints. */
const DIGEST =
  /^(?:[0-9A-Fa-f]{40}|[0-9A-Fa-f]{64}|(?:[0-9A-Fa-f]{2}:){19}[0-9A-Fa-f]{2}|(?:[0-9A-Fa-f]{2}:){31}[0-9A-Fa-f]{2})$/;
/** An Android package id has at least two parts (`com.example`); `*` stands for any characters. */
const PACKAGE = /^[A-Za-z0-9_*]+(?:\.[A-Za-z0-9_*]+)+$/;
/** A first row naming its columns rather than an app. */
const HEADER = /^(?:package(?:[ _-]?(?:id|name))?|digest|certificate|sha-?1|sha-?256|indicator)$/i;
const LABEL_MAX = 120;

/**
 * Reads a blocklist: one package id (or glob) or signing-certificate digest per line, as TSV
 * (`package<TAB>app<TAB>type`), CSV (a `.csv` file, quoted cells allowed) or a plain list.
 * Lines starting with `#` and blank lines are skipped, and so is a header row. The cell in
 * `labelColumn` (1-based), when there is one, labels the entry, e.g. the app behind it. Every
 * bad line is reported, with its number, and then nothing is imported.
 */
export function parseBlocklist(text: string, source: string, labelColumn: number): AppMatcherInput[] {
  const rows = source.toLowerCase().endsWith('.csv')
    ? readCsvRows(text, (message) => new BlocklistFileError(source, [` ${message}`]))
    : tabRows(text);
  if (rows[0] && HEADER.test(rows[0].cells[0] ?? '')) rows.shift();
  const problems: string[] = [];
  const matchers: AppMatcherInput[] = [];
  for (const { cells, line } of rows) {
    const indicator = cells[0] ?? '';
    const label = cells[labelColumn - 1]?.trim();
    const matcher = matcherOf(indicator);
    if (!matcher) {
      problems.push(
        `${line}: "${indicator}" is neither a package id such as com.example.app nor a SHA-1 or SHA-256 certificate digest`,
      );
      continue;
    }
    const checked = AppMatcher.safeParse({ ...matcher, ...(label && { label }) });
    if (!checked.success) {
      for (const issue of checked.error.issues)
        problems.push(`${line}: ${issue.path.join('.') || 'entry'}: ${issue.message}`);
      continue;
    }
    matchers.push(label ? { ...matcher, label } : matcher);
  }
  if (problems.length > 0) throw new BlocklistFileError(source, problems);
  if (matchers.length === 0) {
    throw new BlocklistFileError(source, [' lists no package id or certificate digest']);
  }
  return matchers;
}

/**
 * One matcher per package id or digest, in the order first named: the labels of an app named
 * twice (the same package in two stalkerware families) are joined.
 */
export function mergeBlocklist(entries: AppMatcherInput[]): Blocklist {
  const merged = new Map<string, { matcher: AppMatcherInput; labels: string[] }>();
  for (const { label, ...matcher } of entries) {
    const key = matcher.certificate ?? matcher.packageId!;
    const known = merged.get(key);
    if (!known) merged.set(key, { matcher, labels: label ? [label] : [] });
    else if (label && !known.labels.includes(label)) known.labels.push(label);
  }
  const matchers = [...merged.values()].map(({ matcher, labels }) =>
    labels.length > 0 ? { ...matcher, label: joinLabels(labels) } : matcher,
  );
  const certificates = matchers.filter((m) => m.certificate !== undefined).length;
  return {
    matchers,
    packages: matchers.length - certificates,
    certificates,
    repeated: entries.length - matchers.length,
  };
}

/** Rows of a tab-separated or plain list: cells split at tabs, each trimmed. */
function tabRows(text: string): Row[] {
  return text
    .replace(/^\uFEFF/, '')
    .split(/\r\n|\r|\n/)
    .map((content, index) => ({ cells: content.split('\t').map((cell) => cell.trim()), line: index + 1 }))
    .filter(({ cells }) => cells[0] !== '' && !cells[0]!.startsWith('#'));
}

/** A digest (upper case, without `:`) or a package id, or nothing when the text is neither. */
function matcherOf(indicator: string): AppMatcherInput | undefined {
  if (DIGEST.test(indicator)) return { certificate: indicator.replaceAll(':', '').toUpperCase() };
  if (PACKAGE.test(indicator)) return { packageId: indicator };
  return undefined;
}

/** The labels of lines naming the same app, within the length a label may have. */
function joinLabels(labels: string[]): string {
  const joined = labels.join(', ');
  return joined.length <= LABEL_MAX ? joined : `${joined.slice(0, LABEL_MAX - 1)}…`;
}
