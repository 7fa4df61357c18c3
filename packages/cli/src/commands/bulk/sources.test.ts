import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/helpers';
import { CliError, ExitCode, UsageError } from '../../errors';
import { readTargets, type TargetOptions } from './sources';

const ID = '0193c2d1-7f3a-7b4c-8d5e-6f708192a3b4';

let dir: Awaited<ReturnType<typeof tempDir>>;
beforeAll(async () => {
  dir = await tempDir('targets');
});
afterAll(() => dir.remove());

/** Reads targets with `input` on stdin. */
const read = (opts: TargetOptions, input = '') => readTargets(opts, new PassThrough().end(input));

/** The error reading `opts` gives. */
async function refusal(opts: TargetOptions): Promise<CliError> {
  const error = await read(opts).catch((e: unknown) => e);
  if (error instanceof CliError) return error;
  throw new Error(`expected a CliError, got ${String(error)}`);
}

describe('readTargets', () => {
  it('device ids as arguments', async () => {
    expect(await read({ deviceIds: [ID] })).toEqual({ targets: { devices: [{ by: 'id', value: ID }] } });
  });

  it('- reads the list from stdin, lines kept', async () => {
    expect(await read({ deviceIds: ['-'] }, `# today\n${ID}\n`)).toEqual({
      targets: { devices: [{ by: 'id', value: ID, line: 2 }] },
      source: 'stdin',
    });
  });

  it('--file reads a list, named by its path in errors', async () => {
    const path = join(dir.path, 'serials.csv');
    await writeFile(path, 'serial\nSER1\n');
    expect(await read({ file: path })).toEqual({
      targets: { devices: [{ by: 'serial', value: 'SER1', line: 2 }] },
      source: path,
    });
  });

  it('--where alone, or with --all to accept a selector that matches every device; --all alone', async () => {
    expect(await read({ where: 'group = sales' })).toEqual({ targets: { where: 'group = sales' } });
    expect(await read({ where: 'os = android', all: true })).toEqual({
      targets: { where: 'os = android', all: true },
    });
    expect(await read({ all: true })).toEqual({ targets: { all: true } });
  });

  it.each<[string, TargetOptions, string]>([
    ['nothing', {}, 'no devices given'],
    [
      'ids and a file',
      { deviceIds: [ID], file: 'x' },
      'give the devices one way only, not device ids and --file',
    ],
    [
      '- and a selector',
      { deviceIds: ['-'], where: 'os = ios' },
      'give the devices one way only, not - and --where',
    ],
    ['- with ids', { deviceIds: ['-', ID] }, '- reads the device ids from stdin: give no other id'],
    ['a bad id', { deviceIds: ['SER1'] }, '"SER1" is not a device id (expected a UUID)'],
    ['a bad selector', { where: 'colour = red' }, '--where: unknown field "colour" at column 1'],
    ['a missing file', { file: '/nonexistent/ids.txt' }, '--file: cannot read /nonexistent/ids.txt (ENOENT)'],
  ])('%s: a usage error, exit 2', async (_case, opts, message) => {
    const error = await refusal(opts);
    expect(error).toBeInstanceOf(UsageError);
    expect(error.message.startsWith(message), error.message).toBe(true);
  });

  it('an empty selector is refused as a guard, exit 8: it would match every device', async () => {
    const error = await refusal({ where: '  ' });
    expect(error.exitCode).toBe(ExitCode.refusedByGuard);
    expect(error.hint).toBe('to act on every active device, use --all');
  });
});
