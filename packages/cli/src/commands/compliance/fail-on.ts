import { SEVERITY_RANK, type Severity } from '@fleetops/protocol';
import { ExitCode } from '../../errors';

/**
 * Exit 4 when a violation is at or above `failOn` (`--fail-on high` fails on high and critical),
 * else 0; always 0 without `--fail-on`.
 */
export function failOnExitCode(severities: Iterable<Severity>, failOn: Severity | undefined): ExitCode {
  if (failOn === undefined) return ExitCode.ok;
  for (const severity of severities) {
    if (SEVERITY_RANK[severity] >= SEVERITY_RANK[failOn]) return ExitCode.complianceViolations;
  }
  return ExitCode.ok;
}
