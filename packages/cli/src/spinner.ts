import type { IO } from './io';

/**
 * Runs `work` under an ora spinner on stderr, only for a person at a terminal (not in CI,
 * not with `--quiet`); otherwise just runs it.
 */
export async function spin<T>(io: IO, text: string, work: () => Promise<T>): Promise<T> {
  if (io.quiet || io.isNonInteractiveOrCI()) return work();
  const { default: ora } = await import('ora');
  const spinner = ora({ text, stream: io.stderr, color: io.stderrColor ? 'cyan' : false }).start();
  try {
    return await work();
  } finally {
    spinner.stop();
  }
}
