import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const builtCli = join(root, 'packages/cli/dist/bin.js');

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** CLI tests spawn the built binary: rebuild it when any package source is newer. */
export default function setup(): void {
  const packages = join(root, 'packages');
  const sources = readdirSync(packages).map((name) => newestSource(join(packages, name, 'src')));
  let built = 0;
  try {
    built = statSync(builtCli).mtimeMs;
  } catch {}
  if (Math.max(...sources) > built) execFileSync('npx', ['tsup'], { cwd: root, stdio: 'inherit' });
}
