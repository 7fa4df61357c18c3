import { CommandType, JobDeviceStatus, JobStatus } from '@fleetops/protocol';
import { expect, it } from 'vitest';
import { commands } from './index';

/** The choices of an option, found by its command path and flag name. */
function choices(path: string, flag: string): readonly string[] | undefined {
  const command = commands.find((c) => c.path === path);
  return command?.options?.find((o) => o.flags.startsWith(flag))?.choices;
}

// The command list keeps its own copies of these enums so that `--help` does not load the
// protocol; they must not drift from it.
it('offers exactly the protocol’s statuses and command types as choices', () => {
  expect(choices('jobs list', '--status')).toEqual(JobStatus.options);
  expect(choices('jobs list', '--type')).toEqual(CommandType.options);
  expect(choices('jobs results', '--status')).toEqual(JobDeviceStatus.options);
});
