import { readFileSync } from 'node:fs';
import { defineConfig, type Options } from 'tsup';

/** A package's own dependencies stay imports: each package ships its code, not its dependencies'. */
function dependenciesOf(pkg: string): RegExp[] {
  const manifest = JSON.parse(readFileSync(`packages/${pkg}/package.json`, 'utf8'));
  const names = Object.keys({ ...manifest.dependencies, ...manifest.peerDependencies });
  return names.map((name) => new RegExp(`^${name.replace(/[/.]/g, '\\$&')}(/|$)`));
}

const common = (pkg: string) =>
  ({
    target: 'node22',
    platform: 'node',
    sourcemap: true,
    clean: true,
    outDir: `packages/${pkg}/dist`,
    external: dependenciesOf(pkg),
  }) satisfies Options;

/** Libraries ship ESM + CJS with declarations; the CLI ships one ESM entry with lazy chunks. */
const library = (pkg: string): Options => ({
  ...common(pkg),
  name: pkg,
  entry: { index: `packages/${pkg}/src/index.ts` },
  format: ['esm', 'cjs'],
  dts: true,
});

export default defineConfig([
  library('protocol'),
  library('sdk'),
  library('simulator'),
  library('server'),
  {
    ...common('cli'),
    name: 'cli',
    entry: { bin: 'packages/cli/src/bin.ts' },
    format: ['esm'],
    splitting: true,
    banner: { js: '#!/usr/bin/env node' },
  },
]);
