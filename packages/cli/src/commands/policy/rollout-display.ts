import type { Rollout } from '@fleetops/sdk';
import type { IO } from '../../io';
import { rolloutLine } from './rollout-progress';

/** How often the time to the next wave is brought up to date. */
const TICK_MS = 1000;

/** Shows a rollout's progress while it is followed. */
export interface RolloutDisplay {
  /** A new snapshot of the rollout. */
  show(rollout: Rollout): void;
  stop(): void;
}

/**
 * Shows a followed rollout: a live Ink view for a person at a terminal, a plain progress line
 * on stderr for each change otherwise, nothing with `--quiet`.
 */
export async function openRolloutDisplay(io: IO, rollout: Rollout): Promise<RolloutDisplay> {
  if (io.quiet) return { show() {}, stop() {} };
  if (io.isNonInteractiveOrCI()) {
    let last = '';
    const print = (snapshot: Rollout) => {
      const line = rolloutLine(snapshot, new Date());
      if (line !== last) io.info(line);
      last = line;
    };
    return { show: print, stop() {} };
  }
  const { renderRolloutView } = await import('../../views/rollout-view');
  let latest = rollout;
  const view = renderRolloutView({ rollout, now: new Date() }, io.stderr);
  const timer = setInterval(() => view.update({ rollout: latest, now: new Date() }), TICK_MS);
  return {
    show(snapshot) {
      latest = snapshot;
      view.update({ rollout: latest, now: new Date() });
    },
    stop() {
      clearInterval(timer);
      view.stop();
    },
  };
}
