import { CreateUserRequest, MAX_USERS_PER_IMPORT } from '@fleetops/protocol';
import { readCsvRows } from '../../csv-rows';
import { UsageError } from '../../errors';

/** One user to open, with the line of the file that lists it. */
export interface ImportRow {
  email: string;
  name: string;
  phone?: string;
  externalId?: string;
  line: number;
}

type Field = 'email' | 'name' | 'phone' | 'externalId';

/** Header names of each field, lower-cased without `_`, `-` or spaces: `external_id` is `externalId`. */
const HEADERS: Record<string, Field> = {
  email: 'email',
  name: 'name',
  phone: 'phone',
  externalid: 'externalId',
};
const REQUIRED: Field[] = ['email', 'name'];

/** A list of users that cannot be imported as it is: every problem, each naming its line. */
export class ImportFileError extends UsageError {
  override name = 'ImportFileError';
  constructor(source: string, problems: string[]) {
    super(problems.map((problem) => `${source}:${problem}`).join('\n'));
  }
}

/**
 * The users a CSV lists, by the columns its header names: email and name, optionally phone and
 * externalId, in any order (other columns are left out). Every row is checked as the server
 * would; all problems are reported at once, each with its line, and then nothing is imported.
 */
export function parseUserFile(text: string, source: string): { rows: ImportRow[]; ignored: string[] } {
  const [header, ...records] = readCsvRows(text, (message) => new ImportFileError(source, [` ${message}`]));
  if (!header) throw new ImportFileError(source, [' lists no user']);
  const fields = header.cells.map((cell) => HEADERS[cell.toLowerCase().replace(/[\s_-]/g, '')]);
  const missing = REQUIRED.filter((field) => !fields.includes(field));
  if (missing.length > 0) {
    throw new ImportFileError(source, [
      `${header.line}: the header has no ${missing.join(' or ')} column (it has: ${header.cells.join(', ')})`,
    ]);
  }
  if (records.length === 0) throw new ImportFileError(source, [' lists no user']);
  if (records.length > MAX_USERS_PER_IMPORT) {
    throw new ImportFileError(source, [
      ` lists ${records.length} users, more than the ${MAX_USERS_PER_IMPORT} one import takes: split it`,
    ]);
  }
  const problems: string[] = [];
  const seen = new Map<string, number>();
  const rows = records.map(({ cells, line }) => {
    const row: ImportRow = { email: '', name: '', line };
    fields.forEach((field, index) => {
      const value = cells[index] ?? '';
      if (field && value !== '') row[field] = value;
    });
    const { line: _, ...user } = row;
    const checked = CreateUserRequest.safeParse(user);
    if (!checked.success) {
      for (const issue of checked.error.issues)
        problems.push(`${line}: ${issue.path.join('.')}: ${issue.message}`);
    }
    const earlier = seen.get(row.email.toLowerCase());
    if (row.email !== '' && earlier !== undefined)
      problems.push(`${line}: ${row.email} is also on line ${earlier}`);
    else seen.set(row.email.toLowerCase(), line);
    return row;
  });
  if (problems.length > 0) throw new ImportFileError(source, problems);
  const ignored = header.cells.filter((_, index) => fields[index] === undefined);
  return { rows, ignored };
}
