import { describe, expect, it } from 'vitest';
import { type ExportFormat, ExportScanner } from './export-scanner';

const bytes = (text: string) => new TextEncoder().encode(text);

/** Feeds `text` to a scanner in pieces of `size` bytes. */
function scan(format: ExportFormat, text: string, size: number): ExportScanner {
  const scanner = new ExportScanner(format);
  const all = bytes(text);
  for (let i = 0; i < all.length; i += size) scanner.push(all.subarray(i, i + size));
  return scanner;
}

const ndjson = '{"id":"7","category":"location"}\n{"id":"12","category":"callLog","data":{"n":"a\\nb"}}\n';
const csv =
  'id,eventId,category,data\n' +
  '7,e1,location,"{""latitude"":1}"\n' +
  '"12",e2,operationLogs,"{""detail"":""two\nlines, and a """"quote""""""}"\n';
const json = '[{"id":"7","category":"location"},\n{"id":"12","category":"callLog"}]';

describe('ExportScanner', () => {
  it.each([1, 2, 3, 5, 64])('finds every whole event of NDJSON fed %i byte(s) at a time', (size) => {
    const scanner = scan('ndjson', ndjson, size);
    expect(scanner).toMatchObject({ rows: 2, lastId: '12', complete: bytes(ndjson).length });
    expect(scanner.end()).toBe(true);
  });

  it.each([1, 2, 7, 64])(
    'ends CSV rows at newlines outside quotes only, fed %i byte(s) at a time',
    (size) => {
      const scanner = scan('csv', csv, size);
      expect(scanner).toMatchObject({ rows: 2, lastId: '12', complete: bytes(csv).length });
    },
  );

  it('keeps the end of the last whole event when the output stops mid-event', () => {
    const cut = `${ndjson}{"id":"13","cat`;
    const scanner = scan('ndjson', cut, 4);
    expect(scanner).toMatchObject({
      rows: 2,
      lastId: '12',
      complete: bytes(ndjson).length,
      bytes: bytes(cut).length,
    });
    expect(scanner.end()).toBe(false);
  });

  it('counts the CSV header as whole output but not as an event', () => {
    const scanner = scan('csv', 'id,eventId,category,data\n', 3);
    expect(scanner).toMatchObject({ rows: 0, lastId: undefined, complete: 25 });
  });

  it('reads the JSON array, whose last event has no newline after it', () => {
    const scanner = scan('json', json, 3);
    expect(scanner.end()).toBe(true);
    expect(scanner).toMatchObject({ rows: 2, lastId: '12', complete: bytes(json).length });
    const empty = scan('json', '[]', 1);
    expect(empty.end()).toBe(true);
    expect(empty.rows).toBe(0);
  });

  it('reads the id whatever the spacing of the JSON', () => {
    expect(scan('ndjson', '{ "id" : "41", "category": "location"}\n', 5)).toMatchObject({
      rows: 1,
      lastId: '41',
    });
  });

  it('continues from where an earlier run left off', () => {
    const scanner = new ExportScanner('ndjson', 100, '5');
    scanner.push(bytes('{"id":"6"}\n'));
    expect(scanner).toMatchObject({ rows: 1, lastId: '6', complete: 111 });
  });
});
