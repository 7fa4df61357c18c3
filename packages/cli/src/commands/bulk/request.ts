import {
  type CreateJobRequest,
  CreateJobRequest as CreateJobSchema,
  parseDuration,
} from '@fleetops/protocol';
import { Option } from 'commander';
import { UsageError } from '../../errors';
import { requireId } from '../ids';
import type { ResolvedTargets } from './sources';
import type { BulkVerb, ParamFlag } from './verbs';

/** The flags of a bulk verb that shape its job, besides the command's own parameters. */
export interface JobFlags {
  reason?: string;
  expectCount?: number;
  maxTargets?: number;
  after?: string;
  delay?: string;
  ttl?: string;
}

/** One field the client or the server refused, as zod or the error body describes it. */
export interface FieldProblem {
  path: readonly PropertyKey[];
  message: string;
  code?: string;
  minimum?: unknown;
  maximum?: unknown;
}

/** The job flags named by the request field they set. */
const JOB_FIELD_FLAGS: Record<string, string> = {
  reason: '--reason',
  ttlSeconds: '--ttl',
  delaySeconds: '--delay',
  afterJobId: '--after',
  expectCount: '--expect-count',
  maxTargets: '--max-targets',
  where: '--where',
};

const DURATION_FIELDS = new Set(['ttlSeconds', 'delaySeconds']);

/**
 * The job a bulk verb's flags describe, checked against the protocol before it is sent: a
 * mistake is a usage error (exit 2) that names the flag.
 */
export function jobRequest(
  verb: BulkVerb,
  opts: JobFlags & Record<string, unknown>,
  { packageId }: VerbArguments,
  { targets, source }: ResolvedTargets,
): CreateJobRequest {
  const body = {
    type: verb.type,
    params: { ...commandParams(verb, opts), ...(packageId !== undefined && { packageId }) },
    targets,
    ...(opts.reason !== undefined && { reason: opts.reason }),
    ...(opts.ttl !== undefined && { ttlSeconds: parseDuration(opts.ttl) }),
    ...(opts.delay !== undefined && { delaySeconds: parseDuration(opts.delay) }),
    ...(opts.after !== undefined && { afterJobId: requireId(opts.after, 'job') }),
    ...(opts.expectCount !== undefined && { expectCount: opts.expectCount }),
    ...(opts.maxTargets !== undefined && { maxTargets: opts.maxTargets }),
  } as CreateJobRequest;
  const checked = CreateJobSchema.safeParse(body);
  if (!checked.success) {
    const problems = checked.error.issues.map((issue) => describeProblem(verb, body, source, issue));
    throw new UsageError(problems.join('; '));
  }
  return body;
}

/** The command's parameters from its flags. */
function commandParams(verb: BulkVerb, opts: JobFlags & Record<string, unknown>): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const flag of verb.params) {
    const value = opts[attributeName(flag)];
    if (value === undefined) continue;
    params[flag.param] = flag.seconds ? parseDuration(value as string) : value;
  }
  if (verb.reasonParam && opts.reason !== undefined) params.reason = opts.reason;
  return params;
}

/** The app and the device ids of a verb's arguments. */
export interface VerbArguments {
  packageId?: string;
  deviceIds: string[];
}

/**
 * Splits a verb's arguments: for a verb that takes an app, the first argument is its package
 * id, unless `--package` gives it (then every argument is a device).
 */
export function verbArguments(
  verb: BulkVerb,
  opts: { app?: string; package?: string; deviceIds?: string[] },
): VerbArguments {
  const deviceIds = opts.deviceIds ?? [];
  if (!verb.takesPackage) return { deviceIds };
  if (opts.package !== undefined) {
    return {
      packageId: opts.package,
      deviceIds: opts.app === undefined ? deviceIds : [opts.app, ...deviceIds],
    };
  }
  const usage = `fleetops ${verb.type} PACKAGE [DEVICE_ID…], or --package PACKAGE`;
  if (opts.app === undefined) throw new UsageError('which app? give its package id', usage);
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-/i.test(opts.app)) {
    throw new UsageError(`"${opts.app}" is a device id: give the app's package id first`, usage);
  }
  return { packageId: opts.app, deviceIds };
}

/** Where commander keeps a flag's value: `--keep-esim` in `keepEsim`, `--no-force-gps` in `forceGps`. */
const attributeName = (flag: ParamFlag) => new Option(flag.flags).attributeName();

/** The long name of each parameter's flag (the first, when a parameter has `--x` and `--no-x`). */
function paramFlagNames(verb: BulkVerb): Map<string, string> {
  const names = new Map<string, string>();
  for (const flag of verb.params) {
    if (!names.has(flag.param)) names.set(flag.param, new Option(flag.flags).long!);
  }
  return names;
}

/**
 * One field the client or the server refused, in the words of the command line: the flag
 * that set it, or the line of the list that named the device.
 */
export function describeProblem(
  verb: BulkVerb,
  body: CreateJobRequest,
  source: string | undefined,
  problem: FieldProblem,
): string {
  const [field, key, index] = problem.path;
  const flags = paramFlagNames(verb);
  const message = lowerFirst(problem.message);
  if (field === 'params' && key === undefined) {
    // A rule over several parameters names them: name their flags instead.
    return [...flags].reduce(
      (text, [param, flag]) => text.replace(new RegExp(`\\b${param}\\b`, 'g'), flag),
      message,
    );
  }
  if (field === 'params') {
    const inSeconds = verb.params.some((flag) => flag.param === key && flag.seconds);
    const text = (inSeconds && durationBound(problem)) || message;
    return `${flags.get(String(key)) ?? String(key)}: ${text}`;
  }
  if (field === 'targets' && key === 'devices' && index !== undefined) {
    const ref = 'devices' in body.targets ? body.targets.devices[Number(index)] : undefined;
    const where = ref?.line !== undefined && source ? `${source}:${ref.line}` : `device "${ref?.value}"`;
    return `${where}: ${message}`;
  }
  const flag = JOB_FIELD_FLAGS[String(field === 'targets' ? key : field)];
  if (flag && DURATION_FIELDS.has(String(field))) return `${flag}: ${durationBound(problem) ?? message}`;
  return flag ? `${flag}: ${message}` : `${problem.path.map(String).join('.')}: ${message}`;
}

/** `at most 30d` for a duration out of range, in the units the flag takes. */
function durationBound(problem: FieldProblem): string | undefined {
  if (problem.code === 'too_big' && typeof problem.maximum === 'number') {
    return `at most ${formatSeconds(problem.maximum)}`;
  }
  if (problem.code === 'too_small' && typeof problem.minimum === 'number') {
    return `at least ${formatSeconds(problem.minimum)}`;
  }
  return undefined;
}

const UNITS: [string, number][] = [
  ['d', 86_400],
  ['h', 3600],
  ['m', 60],
  ['s', 1],
];

/** Seconds in the largest unit that divides them: 604800 is `7d`, 300 is `5m`. */
function formatSeconds(seconds: number): string {
  const [unit, size] = UNITS.find(([, size]) => seconds % size === 0) ?? ['s', 1];
  return `${seconds / size}${unit}`;
}

const lowerFirst = (text: string) => text.charAt(0).toLowerCase() + text.slice(1);
