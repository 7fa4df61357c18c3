import { FINAL_JOB_STATUSES, type Job, type JobResult } from '@fleetops/sdk';
import { Box, render, Text } from 'ink';
import { etaMs, formatDuration, formatRate, type JobTally, tally } from '../commands/jobs/progress';
import { printable } from '../output/printable';

/** What the live view of a job shows. */
export interface JobViewProps {
  job: Job;
  /** Devices finished per second lately; absent until known. */
  perSecond?: number;
  /** Time since following began. */
  elapsedMs: number;
  /** The latest failed devices, newest first. */
  failures: JobResult[];
}

const BAR_WIDTH = 40;

/** One stretch of the progress bar. */
interface Segment {
  cells: number;
  color: string;
  char: string;
}

/** The bar's stretches, in proportion to the devices in each group; pending ones fill the rest. */
function barSegments(t: JobTally): Segment[] {
  const cells = (n: number) => (t.total === 0 ? 0 : Math.round((n / t.total) * BAR_WIDTH));
  const succeeded = cells(t.succeeded);
  const failed = Math.min(cells(t.failed), BAR_WIDTH - succeeded);
  const ended = Math.min(cells(t.expired + t.canceled), BAR_WIDTH - succeeded - failed);
  return [
    { cells: succeeded, color: 'green', char: '█' },
    { cells: failed, color: 'red', char: '█' },
    { cells: ended, color: 'yellow', char: '█' },
    { cells: BAR_WIDTH - succeeded - failed - ended, color: 'gray', char: '░' },
  ];
}

/** A column of the counts: the number over its name. */
function Count({ label, value, color }: { label: string; value: number; color?: string }) {
  return (
    <Box flexDirection="column" marginRight={3}>
      <Text bold color={color}>
        {value}
      </Text>
      <Text dimColor>{label}</Text>
    </Box>
  );
}

/**
 * A job as it runs: a bar and the count of devices per status, the rate at which devices
 * finish, the time left and elapsed, and the latest failures with their reasons (the reason
 * before the device id, which a narrow terminal cuts off first).
 */
export function JobView({ job, perSecond, elapsedMs, failures }: JobViewProps) {
  const t = tally(job.counts);
  const running = job.status === 'running';
  const eta = running ? etaMs(t, perSecond) : undefined;
  return (
    <Box flexDirection="column" borderStyle="round" paddingX={1}>
      <Text>
        job <Text bold>{job.id}</Text> · {job.type}
      </Text>
      <Text>
        <Text color="cyan">{job.status}</Text> · elapsed {formatDuration(elapsedMs)}
        {running && perSecond !== undefined && ` · ${formatRate(perSecond)}`}
        {eta !== undefined && ` · ETA ${formatDuration(eta)}`}
      </Text>
      <Text>
        {barSegments(t).map((segment) => (
          <Text key={segment.color} color={segment.color}>
            {segment.char.repeat(segment.cells)}
          </Text>
        ))}{' '}
        {t.succeeded + t.failed + t.expired + t.canceled}/{t.total}
      </Text>
      <Box marginTop={1}>
        <Count label="succeeded" value={t.succeeded} color="green" />
        <Count label="failed" value={t.failed} color={t.failed > 0 ? 'red' : undefined} />
        {t.expired > 0 && <Count label="expired" value={t.expired} color="yellow" />}
        {t.canceled > 0 && <Count label="canceled" value={t.canceled} color="yellow" />}
        <Count label="pending" value={t.pending} />
        {t.skipped > 0 && <Count label="skipped" value={t.skipped} />}
      </Box>
      {failures.length > 0 && (
        <Box flexDirection="column" marginTop={1}>
          <Text dimColor>latest failures:</Text>
          {failures.map((failure) => (
            <Text key={failure.deviceId} wrap="truncate">
              <Text color="red">✖</Text> {printable(failure.serial ?? failure.deviceId)}{' '}
              {printable(failure.error ?? failure.status)}
              {failure.serial !== null && <Text dimColor> (device {failure.deviceId})</Text>}
            </Text>
          ))}
        </Box>
      )}
      {!FINAL_JOB_STATUSES.includes(job.status) && (
        <Text dimColor>Ctrl-C stops following; the job continues on the server</Text>
      )}
    </Box>
  );
}

/** A live job view drawn on a terminal. */
export interface LiveJobView {
  update(props: JobViewProps): void;
  /** Leaves the last frame on the terminal. */
  stop(): void;
}

/** Draws {@link JobView} on `stream` (stderr: stdout stays for the result) until `stop()`. */
export function renderJobView(props: JobViewProps, stream: NodeJS.WritableStream): LiveJobView {
  const app = render(<JobView {...props} />, { stdout: stream, exitOnCtrlC: false, patchConsole: false });
  return {
    update(next) {
      app.rerender(<JobView {...next} />);
    },
    stop() {
      app.unmount();
    },
  };
}
