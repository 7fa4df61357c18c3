import { readFile } from 'node:fs/promises';
import { FleetBadRequestError } from '@fleetops/sdk';
import type { Handler } from '../../command';
import { UsageError } from '../../errors';
import { record } from '../../output/view';
import { spin } from '../../spinner';
import { importColumns } from './columns';
import { ImportFileError, type ImportRow, parseUserFile } from './import-file';

/**
 * Opens accounts for the users a CSV lists, all or nothing: a bad row anywhere is reported with
 * its line (exit 2) and nothing is created. Rows whose e-mail already has an account are left as
 * they are, so importing the same file again creates nothing.
 */
export const handler: Handler<{ file: string }> = async ({ file }, { client, io }) => {
  const { rows, ignored } = parseUserFile(await readUserFile(file), file);
  if (ignored.length > 0) io.info(`${file}: ignoring the column(s) ${ignored.join(', ')}`);
  const fleet = await client();
  const result = await spin(io, `importing ${rows.length} user(s)`, () =>
    fleet.users.import({ users: rows }),
  ).catch(refusedRows(file, rows));
  if (result.existing.length > 0) {
    const lines = result.existing.map((e) => e.line ?? e.email).join(', ');
    io.info(`${result.existing.length} already had an account and were left as they are (line ${lines})`);
  }
  io.info(`created ${result.created} user(s)`);
  return record(result, importColumns);
};

async function readUserFile(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${path} (${(error as NodeJS.ErrnoException).code})`);
  }
}

/** The rows the server refused, each named by its line: exit 2, nothing was created. */
function refusedRows(file: string, rows: ImportRow[]) {
  return (error: unknown): never => {
    if (!(error instanceof FleetBadRequestError) || error.issues.length === 0) throw error;
    const problems = error.issues.map((issue) => {
      const parts = issue.path.split('.').filter((part, i) => i > 0 || part !== 'body');
      const [, index, ...field] = parts;
      const line = rows[Number(index)]?.line;
      const where = line === undefined ? ' ' : `${line}: `;
      // The server starts the message with the row's line, which `where` already gives.
      const message = issue.message.replace(/^line \d+: /, '');
      return `${where}${field.length > 0 ? `${field.join('.')}: ` : ''}${message}`;
    });
    throw new ImportFileError(file, problems);
  };
}
