import { exitOnClosedPipe } from './io';
import { main } from './program';

exitOnClosedPipe();
process.exitCode = await main(process.argv, async (spec, opts) =>
  (await import('./run')).runCommand(spec, opts),
);
