import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { UsageError } from '../../errors';

const POLICY_FILE = /\.(ya?ml|json)$/i;

/**
 * The policy files named by `paths`: a file as it is, a directory walked for `*.yaml`, `*.yml`
 * and `*.json` (hidden files and directories such as `.github` left out), in sorted order.
 */
export async function findPolicyFiles(paths: string[]): Promise<string[]> {
  const files: string[] = [];
  for (const path of paths) {
    const info = await stat(path).catch(() => undefined);
    if (!info) throw new UsageError(`${path}: no such file or directory`);
    if (!info.isDirectory()) {
      files.push(path);
      continue;
    }
    const found = await walk(path);
    if (found.length === 0) throw new UsageError(`${path}: no policy files (*.yaml, *.yml, *.json) in it`);
    files.push(...found);
  }
  return [...new Set(files)];
}

async function walk(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const files: string[] = [];
  for (const entry of entries.toSorted((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await walk(path)));
    else if (entry.isFile() && POLICY_FILE.test(entry.name)) files.push(path);
  }
  return files;
}
