import { access, type FileHandle, open } from 'node:fs/promises';
import { UsageError } from '../errors';
import type { IO } from '../io';
import { write } from './write';

/** Where a streamed download goes, chunk by chunk: a file or stdout. */
export interface ByteSink {
  /** The file written, or undefined for stdout. */
  readonly path: string | undefined;
  write(chunk: Uint8Array): Promise<void>;
  /** Makes what was written so far durable: it survives a crash of the machine, not only of the process. */
  sync(): Promise<void>;
  close(): Promise<void>;
}

/** `--out -` or no `--out`: stdout. */
export const isStdout = (out: string | undefined): boolean => out === undefined || out === '-';

/** Refuses to overwrite `path` unless `--force`; checked before anything is asked of the server. */
export async function refuseToOverwrite(
  path: string,
  force: boolean | undefined,
  hint?: string,
): Promise<void> {
  if (force) return;
  const exists = await access(path).then(
    () => true,
    () => false,
  );
  if (exists) throw new UsageError(`${path} exists`, hint ?? 'pass --force to overwrite it');
}

/**
 * Opens `path` for a new download, readable by its owner only (it holds personal data). Without
 * `force` the file must not exist, even if it appeared since {@link refuseToOverwrite}.
 */
export async function createFileSink(path: string, force: boolean | undefined): Promise<ByteSink> {
  const handle = await open(path, force ? 'w' : 'wx', 0o600).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'EEXIST') throw new UsageError(`${path} exists`, 'pass --force to overwrite it');
    throw new UsageError(`cannot write ${path} (${error.code ?? error.message})`);
  });
  return fileSink(path, handle, 0);
}

/** Opens `path` to go on writing after its first `length` bytes; what follows them is cut off. */
export async function continueFileSink(path: string, length: number): Promise<ByteSink> {
  const handle = await open(path, 'r+').catch((error: NodeJS.ErrnoException) => {
    throw new UsageError(
      `cannot continue ${path} (${error.code ?? error.message})`,
      'start over with --force',
    );
  });
  const { size } = await handle.stat();
  if (size < length) {
    await handle.close();
    throw new UsageError(
      `${path} is shorter (${size} bytes) than the export had written (${length} bytes): it was changed since`,
      'start over with --force',
    );
  }
  await handle.truncate(length);
  return fileSink(path, handle, length);
}

/** Chunks are gathered up to this many bytes and written with one `writev`. */
const WRITE_BATCH_BYTES = 1 << 20;

function fileSink(path: string, handle: FileHandle, start: number): ByteSink {
  let position = start;
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  const flush = async () => {
    if (pendingBytes === 0) return;
    let buffers = pending;
    let left = pendingBytes;
    pending = [];
    pendingBytes = 0;
    while (left > 0) {
      const { bytesWritten } = await handle.writev(buffers, position);
      position += bytesWritten;
      left -= bytesWritten;
      if (left > 0) buffers = unwritten(buffers, bytesWritten);
    }
  };
  return {
    path,
    async write(chunk) {
      pending.push(chunk);
      pendingBytes += chunk.byteLength;
      if (pendingBytes >= WRITE_BATCH_BYTES) await flush();
    },
    async sync() {
      await flush();
      await handle.datasync();
    },
    async close() {
      try {
        await flush();
      } finally {
        await handle.close();
      }
    },
  };
}

/** What a short `writev` of `written` bytes left of `buffers`. */
export function unwritten(buffers: Uint8Array[], written: number): Uint8Array[] {
  let skip = written;
  let index = 0;
  while (skip >= buffers[index]!.byteLength) skip -= buffers[index++]!.byteLength;
  return [buffers[index]!.subarray(skip), ...buffers.slice(index + 1)];
}

/** Stdout, waiting for it to drain so that a slow reader keeps memory flat. */
export function stdoutSink(io: IO): ByteSink {
  return {
    path: undefined,
    write: (chunk) => write(io.stdout, chunk),
    async sync() {},
    async close() {},
  };
}
