import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN } from './helpers';

/** Every module the entry imports statically, following the build's own chunks. */
async function staticImports(file: string, seen = new Set<string>()): Promise<Set<string>> {
  const code = await readFile(file, 'utf8');
  const specifiers = [
    ...code.matchAll(/^\s*(?:import|export)\s[^;]*?from\s+"([^"]+)"|^\s*import\s+"([^"]+)"/gm),
  ].map((m) => m[1] ?? m[2]!);
  for (const specifier of specifiers) {
    if (specifier.startsWith('./')) {
      const path = join(dirname(file), specifier);
      if (!seen.has(path)) {
        seen.add(path);
        await staticImports(path, seen);
      }
    } else {
      seen.add(specifier);
    }
  }
  return seen;
}

describe('startup', () => {
  it('the entry loads only commander and Node built-ins before a command runs', async () => {
    const packages = [...(await staticImports(BIN))].filter(
      (s) => !s.startsWith('/') && !s.startsWith('node:'),
    );
    expect(packages).toEqual(['commander']);
  });
});
