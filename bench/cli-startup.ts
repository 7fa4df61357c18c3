import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { type BenchResult, median, round } from './lib/measure.ts';

const cli = fileURLToPath(new URL('../packages/cli/bin/fleetops.js', import.meta.url));
const RUNS = 25;

function timeCommand(args: string[]): number {
  const start = process.hrtime.bigint();
  execFileSync(process.execPath, args, { stdio: 'ignore' });
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** Cold start of `fleetops --version` against the bare `node -e 0`, median of interleaved runs. */
export function cliStartup(): BenchResult {
  timeCommand(['-e', '0']);
  timeCommand([cli, '--version']);
  const bare: number[] = [];
  const fleetops: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    bare.push(timeCommand(['-e', '0']));
    fleetops.push(timeCommand([cli, '--version']));
  }
  const figure = median(fleetops);
  const baseline = median(bare);
  return {
    name: 'cli-startup',
    unit: 'ms',
    figure: round(figure),
    baseline: round(baseline),
    baselineName: 'node -e 0',
    ratio: round(figure / baseline),
    better: 'lower',
    target: 'ratio <= 2',
    details: { runs: RUNS },
  };
}
