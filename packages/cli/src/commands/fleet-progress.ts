import type { FleetEvent, FleetStats, RunningFleet } from '@fleetops/simulator';
import type { IO } from '../io';
import { printable } from '../output/printable';

const STATS_EVERY_MS = 10_000;

/** Progress lines of a simulated fleet on stderr. */
export interface FleetProgress {
  /** Pass as `startFleet({ onEvent })`: executed commands, errors and stops as they happen. */
  onEvent: (event: FleetEvent) => void;
  /** Prints a stats line every ten seconds when a counter changed; returns the function that stops it. */
  watch: (fleet: RunningFleet) => () => void;
  /** Sends event lines elsewhere from now on, e.g. into a live view. */
  logTo: (sink: (line: string) => void) => void;
}

/** Reports a simulated fleet on stderr (nothing with `--quiet`). */
export function reportFleetProgress(io: IO): FleetProgress {
  let sink = (line: string) => io.info(line);
  return {
    onEvent: (event) => {
      const line = describeEvent(event);
      // The sink may be a live view, which writes to the terminal as it is given.
      if (line) sink(printable(line));
    },
    logTo: (next) => {
      sink = next;
    },
    watch: (fleet) => {
      let last = '';
      const timer = setInterval(() => {
        const line = statsLine(fleet.stats());
        if (line !== last) io.info(line);
        last = line;
      }, STATS_EVERY_MS);
      timer.unref();
      return () => clearInterval(timer);
    },
  };
}

/** One line about a fleet's counters. */
export function statsLine(stats: FleetStats): string {
  return (
    `fleet: ${stats.online}/${stats.devices} online, ${stats.enrolled} enrolled, ${stats.checkIns} check-ins, ` +
    `${stats.commandsExecuted} commands executed, ${stats.eventsUploaded} events uploaded ` +
    `(${stats.eventsDropped} dropped), ${stats.errors} errors`
  );
}

function describeEvent(event: FleetEvent): string | undefined {
  const device = `device #${event.index}${event.deviceId ? ` (${event.deviceId})` : ''}`;
  switch (event.type) {
    case 'command-executed':
      return `${device}: ${event.commandType} ${event.status}${event.error ? `: ${event.error}` : ''}`;
    case 'credential-rejected':
      return `${device}: credential refused, enrolling again: ${event.message}`;
    case 'stopped':
      return `${device} stopped (${event.reason}): ${event.message}`;
    case 'events-rejected':
      return `${device}: ${event.count} audit events rejected: ${event.message}`;
    case 'error':
      return `${device}: ${event.operation} failed: ${event.message}${event.retryInMs ? ', retrying' : ''}`;
    default:
      return undefined;
  }
}
