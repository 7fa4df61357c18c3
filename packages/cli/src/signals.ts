/**
 * Resolves with the signal's name at the first SIGINT or SIGTERM, so the caller can shut
 * down cleanly. The listeners stay registered and ignore later signals: some libraries
 * (conf's file writer, Ink's exit hook) re-raise the signal they saw to end the process,
 * which would cut the clean shutdown short.
 */
export function untilStopped(): Promise<string> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => resolve(signal);
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}
