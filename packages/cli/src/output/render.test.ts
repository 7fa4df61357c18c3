import { parse as parseCsv } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { memoryStreams } from '../../test/memory-io';
import { createIO } from '../io';
import { renderResult } from './render';
import { timestampCell } from './time';
import { type Column, list, type OutputFormat, record } from './view';

interface Row {
  id: string;
  name: string;
  tags: string[];
  seenAt: string | null;
  locked: boolean;
}

const rows: Row[] = [
  {
    id: 'a1',
    name: 'Pixel 8, "work"',
    tags: ['sales', 'emea'],
    seenAt: '2025-01-02T03:04:05.000Z',
    locked: true,
  },
  { id: 'b2', name: 'line\nbreak', tags: [], seenAt: null, locked: false },
];

const columns: Column<Row>[] = [
  { key: 'id', header: 'ID', value: (r) => r.id },
  { key: 'name', header: 'NAME', value: (r) => r.name },
  { key: 'tags', header: 'TAGS', value: (r) => r.tags.join(',') },
  { key: 'seenAt', header: 'SEEN', value: (r, context) => timestampCell(r.seenAt, context) },
  { key: 'locked', header: 'LOCKED', value: (r) => r.locked },
];

const now = new Date('2025-01-02T04:04:05.000Z');

async function render(result: Parameters<typeof renderResult>[0], format: OutputFormat, tty = false) {
  const { streams, stdout, stderr } = memoryStreams({ tty });
  await renderResult(result, format, createIO(streams), now);
  return { out: stdout.text, err: stderr.text };
}

async function* slowly<T>(items: T[]): AsyncGenerator<T> {
  for (const item of items) yield await Promise.resolve(item);
}

describe('list output', () => {
  it('json is the same text as JSON.stringify of the array, also when streamed', async () => {
    const { out } = await render(list(slowly(rows), columns), 'json');
    expect(out).toBe(`${JSON.stringify(rows, null, 2)}\n`);
    expect(JSON.parse(out)).toEqual(rows);
  });

  it('json of no items is an empty array', async () => {
    expect((await render(list([], columns), 'json')).out).toBe('[]\n');
  });

  it('ndjson is one compact document per line', async () => {
    const { out } = await render(list(slowly(rows), columns), 'ndjson');
    const lines = out.split('\n');
    expect(lines.at(-1)).toBe('');
    expect(lines.slice(0, -1).map((l) => JSON.parse(l))).toEqual(rows);
  });

  it.each(['ndjson', 'csv', 'json', 'yaml'] as const)(
    '%s writes each item before the next one is fetched',
    async (format) => {
      const { streams, stdout } = memoryStreams();
      const seenBeforeSecond: string[] = [];
      async function* pages() {
        yield rows[0]!;
        seenBeforeSecond.push(stdout.text);
        yield rows[1]!;
      }
      await renderResult(list(pages(), columns), format, createIO(streams), now);
      expect(seenBeforeSecond[0]).toContain('a1');
      expect(seenBeforeSecond[0]).not.toContain('b2');
    },
  );

  it('csv has a header of keys and quotes commas, quotes and newlines', async () => {
    const { out } = await render(list(rows, columns), 'csv');
    expect(out.split('\r\n')[0] ?? out.split('\n')[0]).toMatch(/^id,name,tags,seenAt,locked/);
    expect(out).toContain('"Pixel 8, ""work"""');
    expect(out).toContain('"sales,emea"');
    expect(out).toContain('"line\nbreak"');
    expect(parseCsv(out, { columns: true })).toEqual([
      {
        id: 'a1',
        name: 'Pixel 8, "work"',
        tags: 'sales,emea',
        seenAt: '2025-01-02T03:04:05.000Z',
        locked: 'true',
      },
      { id: 'b2', name: 'line\nbreak', tags: '', seenAt: '', locked: 'false' },
    ]);
  });

  it('yaml parses back to the items', async () => {
    const { out } = await render(list(slowly(rows), columns), 'yaml');
    expect(parseYaml(out)).toEqual(rows);
    expect((await render(list([], columns), 'yaml')).out).toBe('[]\n');
  });

  it('table has a header row and, piped, no colour and absolute times', async () => {
    const { out } = await render(list(rows, columns), 'table');
    expect(out).toMatch(/ID\s+│\s+NAME/);
    expect(out).toContain('2025-01-02T03:04:05.000Z');
    expect(out).not.toContain('\x1b[');
  });

  it('table at a terminal is coloured and shows relative times', async () => {
    const { out } = await render(list(rows, columns), 'table', true);
    expect(out).toContain('\x1b[');
    expect(out).toContain('1h ago');
  });

  it('an empty table prints nothing on stdout and says so on stderr', async () => {
    const { out, err } = await render(list([], columns, { emptyMessage: 'no devices match' }), 'table');
    expect(out).toBe('');
    expect(err).toBe('no devices match\n');
  });
});

describe('record output', () => {
  const row = rows[0]!;

  it('json, ndjson and yaml print the item itself', async () => {
    expect(JSON.parse((await render(record(row, columns), 'json')).out)).toEqual(row);
    expect((await render(record(row, columns), 'ndjson')).out).toBe(`${JSON.stringify(row)}\n`);
    expect(parseYaml((await render(record(row, columns), 'yaml')).out)).toEqual(row);
  });

  it('csv is a header and one row', async () => {
    const parsed = parseCsv((await render(record(row, columns), 'csv')).out, { columns: true });
    expect(parsed).toEqual([
      {
        id: 'a1',
        name: 'Pixel 8, "work"',
        tags: 'sales,emea',
        seenAt: '2025-01-02T03:04:05.000Z',
        locked: 'true',
      },
    ]);
  });

  it('table lists each field with its header', async () => {
    const { out } = await render(record(row, columns), 'table');
    expect(out).toMatch(/│ NAME\s+│ Pixel 8, "work"/);
    expect(out).toMatch(/│ LOCKED\s+│ true/);
  });

  it('a trailer follows the table on stdout, but goes to stderr in machine formats', async () => {
    const table = await render(record(row, columns, { trailer: 'QR\n' }), 'table');
    expect(table.out.endsWith('QR\n')).toBe(true);
    const json = await render(record(row, columns, { trailer: 'QR\n' }), 'json');
    expect(JSON.parse(json.out)).toEqual(row);
    expect(json.err).toBe('QR\n');
  });
});

describe('text reported by devices', () => {
  interface Reported {
    model: string;
    brand: string;
    battery: number;
  }
  const reportedColumns: Column<Reported>[] = [
    { key: 'model', header: 'MODEL', value: (r) => r.model },
    { key: 'brand', header: 'BRAND', value: (r) => r.brand },
    { key: 'battery', header: 'BATTERY', value: (r) => r.battery },
  ];
  const hostile: Reported = { model: 'Pixel\x1b]0;owned\x07\x9b2J', brand: 'two\nlines', battery: -1 };

  it.each(['list', 'record'] as const)(
    'a %s table shows control characters instead of sending them',
    async (kind) => {
      const result = kind === 'list' ? list([hostile], reportedColumns) : record(hostile, reportedColumns);
      const { out } = await render(result, 'table');
      for (const control of ['\x07', '\x1b', '\x9b']) expect(out).not.toContain(control);
      expect(out).toContain('Pixel^[]0;owned^GM-^[2J');
      expect(out).toMatch(/two[^\n]*\n[^\n]*lines/);
    },
  );

  it('csv neutralises formulas in strings but keeps numbers', async () => {
    const formulas = ['=HYPERLINK("http://x")', '+1', '-2+3', '@SUM(A1)', '\tx', '\rx'];
    const rowsOut = formulas.map((model) => ({ model, brand: 'safe', battery: -1 }));
    const { out } = await render(list(rowsOut, reportedColumns), 'csv');
    const parsed = parseCsv(out, { columns: true }) as Record<string, string>[];
    expect(parsed.map((r) => r.model)).toEqual(formulas.map((f) => `'${f}`));
    expect(parsed.map((r) => r.brand)).toEqual(formulas.map(() => 'safe'));
    expect(parsed.map((r) => r.battery)).toEqual(formulas.map(() => '-1'));
  });

  it('json, ndjson and yaml keep the text exactly', async () => {
    const result = () => list([hostile], reportedColumns);
    expect(JSON.parse((await render(result(), 'json')).out)).toEqual([hostile]);
    expect(JSON.parse((await render(result(), 'ndjson')).out)).toEqual(hostile);
    expect(parseYaml((await render(result(), 'yaml')).out)).toEqual([hostile]);
  });
});
