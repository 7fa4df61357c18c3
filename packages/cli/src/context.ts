import { InvalidArgumentError } from 'commander';

/** Where a change comes from (`fleetops-context`): kept in the activity log entry of each change. */
export type ClientContext = Record<string, string>;

/** What the server accepts as a context key: letters and digits, starting with a letter. */
const KEY = /^[a-zA-Z][a-zA-Z0-9]{0,31}$/;
const MAX_ENTRIES = 10;

/**
 * Parses one `--context` value, `key=value` or several as `a=1,b=2`, into what earlier ones
 * gave: the flag is repeatable. Kebab-case keys are camel-cased (`ci-run` is `ciRun`).
 */
export function contextPairs(value: string, previous: ClientContext = {}): ClientContext {
  const context = { ...previous };
  for (const pair of value.split(',')) {
    const [rawKey = '', ...rest] = pair.split('=');
    const key = rawKey.trim().replace(/-([a-zA-Z0-9])/g, (_, c: string) => c.toUpperCase());
    const text = rest.join('=').trim();
    if (rest.length === 0 || !KEY.test(key) || text === '') {
      throw new InvalidArgumentError(
        `expected key=value, e.g. ticket=CHG-7 (keys are letters and digits), not "${pair.trim()}"`,
      );
    }
    context[key] = text;
  }
  if (Object.keys(context).length > MAX_ENTRIES) {
    throw new InvalidArgumentError(`at most ${MAX_ENTRIES} context entries`);
  }
  return context;
}

/**
 * The context sent with every change: the commit and the pipeline run a CI job runs for (GitHub
 * Actions, GitLab CI), then what `--context` gave, which wins. Undefined when there is none.
 */
export function clientContext(env: NodeJS.ProcessEnv, given: ClientContext = {}): ClientContext | undefined {
  const fromEnv: ClientContext = {};
  const gitCommit = env.GITHUB_SHA || env.CI_COMMIT_SHA;
  const ciRun = env.GITHUB_RUN_ID || env.CI_PIPELINE_ID;
  if (gitCommit) fromEnv.gitCommit = gitCommit;
  if (ciRun) fromEnv.ciRun = ciRun;
  const context = { ...fromEnv, ...given };
  return Object.keys(context).length > 0 ? context : undefined;
}
