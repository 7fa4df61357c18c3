import { FINAL_ROLLOUT_STATUSES, type Rollout, type RolloutWave } from '@fleetops/sdk';
import { Box, render, Text } from 'ink';
import { formatPercent, nextWave, reached, versionsOf, waveState } from '../commands/policy/rollout-progress';
import { printable } from '../output/printable';

/** What the live view of a rollout shows. */
export interface RolloutViewProps {
  rollout: Rollout;
  now: Date;
}

const BAR_WIDTH = 30;

/** A wave's bar: applied in green, failed in red, pending in gray, in proportion to its devices. */
function WaveBar({ wave }: { wave: RolloutWave }) {
  const cells = (n: number) => (wave.devices === 0 ? 0 : Math.round((n / wave.devices) * BAR_WIDTH));
  const applied = cells(wave.applied);
  const failed = Math.min(cells(wave.failed), BAR_WIDTH - applied);
  return (
    <Text>
      <Text color="green">{'█'.repeat(applied)}</Text>
      <Text color="red">{'█'.repeat(failed)}</Text>
      <Text color="gray">{'░'.repeat(BAR_WIDTH - applied - failed)}</Text>
    </Text>
  );
}

const STATE_COLORS = { pending: 'gray', released: 'cyan', completed: 'green' } as const;

/** One wave: its reach, bar, devices per outcome and whether it went out or is done. */
function WaveRow({ wave }: { wave: RolloutWave }) {
  const state = waveState(wave);
  return (
    <Text wrap="truncate">
      wave {wave.index + 1} {wave.size.padStart(5)} <WaveBar wave={wave} /> {wave.applied} applied ·{' '}
      <Text color={wave.failed > 0 ? 'red' : undefined}>{wave.failed} failed</Text> · {wave.pending} pending
      of {wave.devices} · <Text color={STATE_COLORS[state]}>{state}</Text>
    </Text>
  );
}

/**
 * A rollout as it runs: per wave a bar of applied, failed and pending devices and whether it is
 * released or completed; the failure rate against the halt threshold, the status and when the
 * next wave goes out.
 */
export function RolloutView({ rollout, now }: RolloutViewProps) {
  const total = reached(rollout);
  const over = rollout.failureRate > rollout.haltOnFailurePercent;
  const next = nextWave(rollout, now);
  return (
    <Box flexDirection="column" borderStyle="round" paddingX={1}>
      <Text>
        rollout <Text bold>{rollout.id}</Text> · {rollout.policy} {versionsOf(rollout)}
      </Text>
      <Text>
        <Text color={rollout.status === 'halted' ? 'red' : 'cyan'}>{rollout.status}</Text> · wave{' '}
        {rollout.currentWave + 1}/{rollout.waves.length} · {total.applied}/{rollout.totalDevices} applied ·
        failure rate <Text color={over ? 'red' : undefined}>{formatPercent(rollout.failureRate)}</Text> (halts
        above {formatPercent(rollout.haltOnFailurePercent)}){next && ` · ${next}`}
      </Text>
      {rollout.haltReason !== null && <Text color="red">halted: {printable(rollout.haltReason)}</Text>}
      <Box flexDirection="column" marginTop={1}>
        {rollout.waves.map((wave) => (
          <WaveRow key={wave.index} wave={wave} />
        ))}
      </Box>
      {!FINAL_ROLLOUT_STATUSES.includes(rollout.status) && rollout.status !== 'halted' && (
        <Text dimColor>Ctrl-C stops following; the rollout continues on the server</Text>
      )}
    </Box>
  );
}

/** A live rollout view drawn on a terminal. */
export interface LiveRolloutView {
  update(props: RolloutViewProps): void;
  /** Leaves the last frame on the terminal. */
  stop(): void;
}

/** Draws {@link RolloutView} on `stream` (stderr: stdout stays for the result) until `stop()`. */
export function renderRolloutView(props: RolloutViewProps, stream: NodeJS.WritableStream): LiveRolloutView {
  const app = render(<RolloutView {...props} />, { stdout: stream, exitOnCtrlC: false, patchConsole: false });
  return {
    update(next) {
      app.rerender(<RolloutView {...next} />);
    },
    stop() {
      app.unmount();
    },
  };
}
