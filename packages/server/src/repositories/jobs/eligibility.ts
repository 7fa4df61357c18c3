import {
  type CommandType,
  DESTRUCTIVE_COMMANDS,
  type SkipReason,
  UNSUPPORTED_PLATFORMS,
} from '@fleetops/protocol';

export const isDestructive = (type: CommandType) =>
  (DESTRUCTIVE_COMMANDS as readonly CommandType[]).includes(type);

/** Statuses of a command that may still run. */
export const OPEN_STATUSES = `('queued', 'delivered', 'acknowledged')`;

/** What decides whether each device of a job runs its command, as SQL over the target rows `d`. */
export interface Eligibility {
  /** Joins after `FROM <targets> d`: the pending destructive command `p`, the earlier job's command `a`. */
  joins: string;
  /** The device's skip reason, or null when it runs the command. */
  reason: string;
  /** The skip reason in words, or null. */
  message: string;
  /** The command of the earlier job this one waits for, or null. */
  afterCommandId: string;
}

/**
 * Builds the eligibility test of a job of `type`; its parameters are appended to `params`.
 * Only the joins a job needs are made: a routine job without `after` reads nothing but its targets.
 */
export function eligibility(
  type: CommandType,
  afterJobId: string | undefined,
  params: unknown[],
): Eligibility {
  const param = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  const joins: string[] = [];
  const tests: [SkipReason, string, string][] = [
    ['retired', "d.status = 'retired'", "'device is retired: it takes no more commands'"],
  ];
  if (afterJobId !== undefined) {
    const after = param(afterJobId);
    joins.push(
      `LEFT JOIN commands a ON a.job_id = ${after}::uuid AND a.device_id = d.id AND a.status <> 'skipped'`,
    );
    tests.push(['not_in_after_job', 'a.id IS NULL', `'not a target of job ' || ${after}::text`]);
  }
  if (type === 'wipe') {
    tests.push([
      'byod_wipe',
      "d.mode = 'BYOD'",
      "'personally owned (BYOD): wipe is refused; retire removes company data and management instead'",
    ]);
  }
  const unsupported = UNSUPPORTED_PLATFORMS[type];
  if (unsupported) {
    tests.push([
      'unsupported_platform',
      `d.os = ANY(${param(unsupported)}::text[])`,
      `${param(type)}::text || ' is not supported on ' || d.os`,
    ]);
  }
  if (type === 'lock') {
    tests.push(['already_locked', "coalesce((d.state ->> 'locked')::boolean, false)", "'already locked'"]);
  }
  if (isDestructive(type)) {
    joins.push(
      `LEFT JOIN LATERAL (SELECT id, type, job_id FROM commands
         WHERE device_id = d.id AND type IN ('wipe', 'retire') AND status IN ${OPEN_STATUSES} LIMIT 1) p ON true`,
    );
    tests.push([
      'pending_destructive',
      'p.id IS NOT NULL',
      "'a ' || p.type || ' is already pending (' || coalesce('job ' || p.job_id::text, 'command ' || p.id::text) || ')'",
    ]);
  }
  const cases = (pick: (test: [SkipReason, string, string]) => string) =>
    `CASE ${tests.map((test) => `WHEN ${test[1]} THEN ${pick(test)}`).join(' ')} END`;
  return {
    joins: joins.join('\n'),
    reason: cases(([reason]) => `'${reason}'`),
    message: cases(([, , message]) => message),
    afterCommandId: afterJobId === undefined ? 'NULL::uuid' : 'a.id',
  };
}
