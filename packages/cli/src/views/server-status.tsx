import type { FleetStats } from '@fleetops/simulator';
import { Box, render, Static, Text } from 'ink';
import { useEffect, useState } from 'react';

/** What the live status of a running server shows. */
export interface ServerStatusProps {
  url: string;
  dataDir: string;
  /** Counters of the simulated fleet, read every second; absent without `--simulate`. */
  stats?: () => FleetStats;
  /** Event lines, printed once above the live box. */
  lines: string[];
}

const REFRESH_MS = 1000;

/** A box with the server's URL and data directory, and the fleet's counters kept up to date. */
export function ServerStatus({ url, dataDir, stats, lines }: ServerStatusProps) {
  const [current, setCurrent] = useState(() => stats?.());
  useEffect(() => {
    if (!stats) return;
    const timer = setInterval(() => setCurrent(stats()), REFRESH_MS);
    return () => clearInterval(timer);
  }, [stats]);
  return (
    <>
      <Static items={lines.map((line, index) => ({ line, index }))}>
        {({ line, index }) => <Text key={index}>{line}</Text>}
      </Static>
      <Box flexDirection="column" borderStyle="round" paddingX={1}>
        <Text>
          <Text color="green">●</Text> fleetops server at <Text bold>{url}</Text>
        </Text>
        <Text dimColor>data: {dataDir}</Text>
        {current && (
          <Text>
            devices: {current.online}/{current.devices} online · {current.checkIns} check-ins ·{' '}
            {current.commandsExecuted} commands · {current.eventsUploaded} events · {current.errors} errors
          </Text>
        )}
        <Text dimColor>Ctrl-C to stop</Text>
      </Box>
    </>
  );
}

/** A live status drawn on a terminal; `log` prints a line above it. */
export interface LiveServerStatus {
  log(line: string): void;
  stop(): void;
}

/** Draws {@link ServerStatus} on `stream` (stderr: stdout stays for results) until `stop()`. */
export function renderServerStatus(
  props: Omit<ServerStatusProps, 'lines'>,
  stream: NodeJS.WritableStream,
): LiveServerStatus {
  const lines: string[] = [];
  const app = render(<ServerStatus {...props} lines={lines} />, {
    stdout: stream,
    exitOnCtrlC: false,
    patchConsole: false,
  });
  return {
    log(line) {
      lines.push(line);
      app.rerender(<ServerStatus {...props} lines={[...lines]} />);
    },
    stop() {
      app.unmount();
    },
  };
}
