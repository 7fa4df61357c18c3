import { defineConfig, type Options } from 'tsup';

const common = {
  target: 'node22',
  sourcemap: true,
  clean: true,
  outDir: 'dist',
} satisfies Options;

/** Libraries ship ESM + CJS with declarations; the CLI ships one ESM entry with lazy chunks. */
const library = (pkg: string): Options => ({
  ...common,
  name: pkg,
  entry: { index: `packages/${pkg}/src/index.ts` },
  outDir: `packages/${pkg}/dist`,
  format: ['esm', 'cjs'],
  dts: true,
});

export default defineConfig([
  library('protocol'),
  library('sdk'),
  library('simulator'),
  library('server'),
  {
    ...common,
    name: 'cli',
    entry: { bin: 'packages/cli/src/bin.ts' },
    outDir: 'packages/cli/dist',
    format: ['esm'],
    splitting: true,
    banner: { js: '#!/usr/bin/env node' },
  },
]);
