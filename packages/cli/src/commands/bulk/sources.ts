import { readFile } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { type JobTargets, MAX_TARGET_REFS } from '@fleetops/protocol';
import { CliError, ExitCode, UsageError } from '../../errors';
import { checkSelector } from '../devices/list';
import { requireId } from '../ids';
import { type ListedTarget, parseTargetList, TargetListError } from './targets';

/** The flags and arguments that say which devices a job acts on. */
export interface TargetOptions {
  deviceIds?: string[];
  file?: string;
  where?: string;
  all?: boolean;
}

/** The targets of a job, and where they were read from. */
export interface ResolvedTargets {
  targets: JobTargets;
  /** The file the devices were listed in, or `stdin`; none for arguments, selectors and --all. */
  source?: string;
}

const HOW = 'give device ids, - (ids on stdin), --file PATH, --where SELECTOR or --all';

/**
 * The targets of a job from exactly one source: device ids as arguments, `-` for ids on stdin,
 * `--file`, `--where` or `--all` (which, with `--where`, accepts a selector that matches every
 * device: the server refuses one without it). Flag mistakes are usage errors (exit 2); a list that cannot be
 * used as it is, or an empty selector, is refused (exit 8).
 */
export async function readTargets(opts: TargetOptions, stdin: Readable): Promise<ResolvedTargets> {
  const ids = opts.deviceIds ?? [];
  const given = [
    ids.length > 0 && (ids.includes('-') ? '-' : 'device ids'),
    opts.file !== undefined && '--file',
    opts.where !== undefined && '--where',
    // With --where, --all only accepts a selector that matches every device.
    opts.all && opts.where === undefined && '--all',
  ].filter(Boolean);
  if (given.length === 0) throw new UsageError('no devices given', HOW);
  if (given.length > 1)
    throw new UsageError(`give the devices one way only, not ${given.join(' and ')}`, HOW);
  if (opts.where !== undefined) {
    return { targets: { where: selector(opts.where), ...(opts.all && { all: true as const }) } };
  }
  if (opts.all) return { targets: { all: true } };
  if (opts.file !== undefined) return listed(await readList(opts.file), opts.file);
  if (ids.includes('-')) {
    if (ids.length > 1) throw new UsageError('- reads the device ids from stdin: give no other id');
    return listed(await readAll(stdin), 'stdin');
  }
  return { targets: { devices: ids.map((id) => ({ by: 'id', value: requireId(id, 'device') })) } };
}

/** A selector that parses and is not blank: a blank one would match every device. */
function selector(where: string): string {
  if (where.trim() === '') {
    throw new CliError(
      '--where is empty: it would match every device',
      ExitCode.refusedByGuard,
      'to act on every active device, use --all',
    );
  }
  checkSelector(where);
  return where;
}

function listed(text: string, source: string): ResolvedTargets {
  const devices: ListedTarget[] = parseTargetList(text, source);
  if (devices.length > MAX_TARGET_REFS) {
    throw new TargetListError(
      source,
      undefined,
      `names ${devices.length} devices, more than the ${MAX_TARGET_REFS} one job may name: split it, or use --where`,
    );
  }
  return { targets: { devices }, source };
}

async function readList(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`--file: cannot read ${path}${code ? ` (${code})` : ''}`);
  }
}

async function readAll(stream: Readable): Promise<string> {
  let text = '';
  stream.setEncoding('utf8');
  for await (const chunk of stream) text += chunk;
  return text;
}
