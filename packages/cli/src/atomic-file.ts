import { rename, writeFile } from 'node:fs/promises';

/**
 * Writes `text` to `path` aside, then renames it into place: a kill mid-write leaves the
 * previous file whole, never a cut one.
 */
export async function writeFileAtomically(path: string, text: string, mode = 0o600): Promise<void> {
  const partial = `${path}.${process.pid}.tmp`;
  await writeFile(partial, text, { mode });
  await rename(partial, path);
}
