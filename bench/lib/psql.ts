import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { delimiter, join } from 'node:path';

/** psql on the PATH, else the newest of the Debian/Ubuntu server packages (not always on the PATH). */
export function findPsql(): string {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, 'psql'))) return join(dir, 'psql');
  }
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  for (const version of versions) {
    const psql = join(root, version, 'bin', 'psql');
    if (existsSync(psql)) return psql;
  }
  throw new Error('psql not found: install the PostgreSQL client or put psql on the PATH');
}

/** Runs `COPY (…) TO STDOUT` through psql into `file`, as an operator would; resolves at psql's exit. */
export async function copyToFile(
  psql: string,
  databaseUrl: string,
  copy: string,
  file: string,
): Promise<void> {
  const out = await open(file, 'w');
  try {
    await new Promise<void>((resolve, reject) => {
      const child = spawn(psql, [databaseUrl, '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-c', copy], {
        stdio: ['ignore', out.fd, 'pipe'],
      });
      let stderr = '';
      child.stderr!.on('data', (chunk) => (stderr += chunk));
      child.on('error', reject);
      child.on('close', (code) =>
        code === 0 ? resolve() : reject(new Error(`psql exited ${code}: ${stderr.trim()}`)),
      );
    });
  } finally {
    await out.close();
  }
}
