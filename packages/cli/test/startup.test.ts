import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { delimiter, dirname, join } from 'node:path';
import { promisify } from 'node:util';
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

  it('the installed command runs through its own shebang, with its V8 flags', async () => {
    const installed = new URL('../bin/fleetops.js', import.meta.url).pathname;
    const { version } = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'));
    const { stdout } = await promisify(execFile)(installed, ['--version'], {
      env: { ...process.env, PATH: `${dirname(process.execPath)}${delimiter}${process.env.PATH}` },
    });
    expect(stdout.trim()).toBe(version);
  });
});
