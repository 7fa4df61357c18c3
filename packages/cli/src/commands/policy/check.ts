import type { PolicyPlan } from '@fleetops/protocol';
import { FleetBadRequestError, type FleetClient } from '@fleetops/sdk';
import { CliError } from '../../errors';
import type { IO } from '../../io';
import { printable } from '../../output/printable';
import { spin } from '../../spinner';
import { type LoadedPolicy, loadPolicies } from './load';
import { formatProblem, type PolicyProblem } from './problems';
import { serverProblems } from './server-issues';

/**
 * The policies under `paths`, all valid; otherwise every problem is written to stderr as
 * `file:line:col: path: message` and the run fails with exit 1.
 */
export async function loadValidPolicies(paths: string[], io: IO): Promise<LoadedPolicy[]> {
  const { files, policies, problems } = await loadPolicies(paths);
  if (problems.length > 0) fail(io, problems, files.length);
  return policies;
}

/** Asks the server for the plan; documents it refuses are reported at their files, exit 1. */
export async function planPolicies(
  fleet: FleetClient,
  io: IO,
  policies: LoadedPolicy[],
  prune: boolean,
): Promise<PolicyPlan> {
  const documents = policies.map((p) => p.document);
  return spin(io, 'planning', () => fleet.policies.plan({ documents, prune })).catch((error) => {
    const issues = error instanceof FleetBadRequestError ? error.details?.issues : undefined;
    if (!issues?.length || policies.length === 0) throw error;
    return fail(io, serverProblems(policies, issues), policies.length);
  });
}

function fail(io: IO, problems: PolicyProblem[], fileCount: number): never {
  for (const problem of problems) io.stderr.write(`${printable(formatProblem(problem))}\n`);
  const badFiles = new Set(problems.map((p) => p.file)).size;
  throw new CliError(
    `${problems.length} ${problems.length === 1 ? 'problem' : 'problems'} in ${badFiles} of ${fileCount} policy ${fileCount === 1 ? 'file' : 'files'}`,
  );
}
