import { PassThrough, Writable } from 'node:stream';
import type { Streams } from '../src/io';

/** A stream that keeps what is written to it. */
export class Capture extends Writable {
  text = '';
  isTTY: boolean;

  constructor(tty = false) {
    super();
    this.isTTY = tty;
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void) {
    this.text += chunk.toString();
    done();
  }
}

/** Streams in memory, as a terminal (`tty`) or as pipes. */
export function memoryStreams(options: { tty?: boolean; env?: NodeJS.ProcessEnv } = {}) {
  const stdin = Object.assign(new PassThrough(), { isTTY: options.tty ?? false });
  const stdout = new Capture(options.tty);
  const stderr = new Capture(options.tty);
  const streams: Streams = { stdin, stdout, stderr, env: options.env ?? {} };
  return { streams, stdin, stdout, stderr };
}
