import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { continueFileSink, createFileSink, unwritten } from './byte-sink';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fleetops-sink-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const bytes = (text: string) => new TextEncoder().encode(text);

describe('file sink', () => {
  it('writes every chunk in order, small and batch-sized alike', async () => {
    const path = join(dir, 'many.ndjson');
    const sink = await createFileSink(path, false);
    const expected: string[] = [];
    for (let i = 0; i < 3000; i++) {
      const line = `{"id":"${i}","pad":"${'x'.repeat(i % 7 === 0 ? 5000 : 40)}"}\n`;
      expected.push(line);
      await sink.write(bytes(line));
    }
    await sink.close();
    expect(await readFile(path, 'utf8')).toBe(expected.join(''));
  });

  it('has everything on disk after sync, before close', async () => {
    const path = join(dir, 'synced.ndjson');
    const sink = await createFileSink(path, false);
    await sink.write(bytes('{"id":"1"}\n'));
    await sink.sync();
    expect(await readFile(path, 'utf8')).toBe('{"id":"1"}\n');
    await sink.close();
  });

  it('continues after the given length, cutting off what followed it', async () => {
    const path = join(dir, 'resumed.ndjson');
    await writeFile(path, '{"id":"1"}\n{"id":"2"');
    const sink = await continueFileSink(path, 11);
    await sink.write(bytes('{"id":"2"}\n'));
    await sink.close();
    expect(await readFile(path, 'utf8')).toBe('{"id":"1"}\n{"id":"2"}\n');
  });

  it('refuses to create over an existing file without force', async () => {
    const path = join(dir, 'exists.ndjson');
    await writeFile(path, 'kept');
    await expect(createFileSink(path, false)).rejects.toThrow(`${path} exists`);
    expect(await readFile(path, 'utf8')).toBe('kept');
  });
});

describe('unwritten', () => {
  const text = (buffers: Uint8Array[]) => buffers.map((b) => Buffer.from(b).toString()).join('|');

  it('drops whole buffers and the written head of the next', () => {
    expect(text(unwritten([bytes('abc'), bytes('de'), bytes('fgh')], 4))).toBe('e|fgh');
  });

  it('starts at the next buffer when a write ended on a boundary', () => {
    expect(text(unwritten([bytes('abc'), bytes('de')], 3))).toBe('de');
  });
});
