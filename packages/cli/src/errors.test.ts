import { describe, expect, it } from 'vitest';
import { Capture } from '../test/memory-io';
import { CliError, ExitCode, reportError } from './errors';

describe('reportError', () => {
  it('prints one error line and a hint, and returns the exit code', () => {
    const stderr = new Capture();
    const code = reportError(new CliError('it broke', ExitCode.timedOut, 'try again'), stderr, {
      verbose: false,
      color: false,
    });
    expect(code).toBe(ExitCode.timedOut);
    expect(stderr.text).toBe('error: it broke\nhint: try again\n');
  });

  it('shows control characters of a quoted message instead of sending them', () => {
    const stderr = new Capture();
    reportError(new CliError('device said \x1b]0;owned\x07', ExitCode.error), stderr, {
      verbose: false,
      color: false,
    });
    expect(stderr.text).toBe('error: device said ^[]0;owned^G\n');
  });
});
