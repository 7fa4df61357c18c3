import { describe, expect, it } from 'vitest';
import { ExitCode } from '../../errors';
import { parseTargetList, TargetListError } from './targets';

const ID_A = '0193c2d1-7f3a-7b4c-8d5e-6f708192a3b4';
const ID_B = '0193c2d1-7f3a-7b4c-8d5e-6f708192a3b5';

/** The error `parseTargetList` throws for `text`. */
function refusal(text: string, source = 'devices.csv'): TargetListError {
  try {
    parseTargetList(text, source);
  } catch (error) {
    if (error instanceof TargetListError) return error;
    throw error;
  }
  throw new Error('expected the list to be refused');
}

describe('parseTargetList: plain lines', () => {
  it('one device id a line, each with its line number; blank lines and # comments skipped', () => {
    const text = `# lost on the trip\n${ID_A}\n\n   \n  ${ID_B}  \n# end\n`;
    expect(parseTargetList(text, 'ids.txt')).toEqual([
      { by: 'id', value: ID_A, line: 2 },
      { by: 'id', value: ID_B, line: 5 },
    ]);
  });

  it('CRLF line ends and a byte order mark do not end up in the ids', () => {
    expect(parseTargetList(`\uFEFF${ID_A}\r\n${ID_B}\r\n`, 'ids.txt')).toEqual([
      { by: 'id', value: ID_A, line: 1 },
      { by: 'id', value: ID_B, line: 2 },
    ]);
  });

  it('a list of only comments and blank lines names no device: exit 8', () => {
    const error = refusal('# nothing yet\n\n', 'stdin');
    expect(error.message).toBe('stdin: names no device');
    expect(error.exitCode).toBe(ExitCode.refusedByGuard);
  });
});

describe('parseTargetList: CSV', () => {
  it.each([
    ['id', ID_A],
    ['serial', 'SER000123'],
    ['imei', '356938035643809'],
  ])('takes the %s column, whatever else the file has', (key, value) => {
    const text = `name,${key},owner\nphone 1,${value},alice\n`;
    expect(parseTargetList(text, 'devices.csv')).toEqual([{ by: key, value, line: 2 }]);
  });

  it('a header of the key column alone is a CSV too, its name in any case', () => {
    expect(parseTargetList('Serial\nSER1\nSER2\n', 'serials.csv')).toEqual([
      { by: 'serial', value: 'SER1', line: 2 },
      { by: 'serial', value: 'SER2', line: 3 },
    ]);
  });

  it('prefers id over serial over imei when the header names several', () => {
    const rows = parseTargetList(`imei,serial,id\n1,SER1,${ID_A}\n`, 'export.csv');
    expect(rows).toEqual([{ by: 'id', value: ID_A, line: 2 }]);
  });

  it('quoted cells may hold commas, quotes and line breaks; lines stay those of the file', () => {
    const text = 'serial,note\n"SER,1","said ""hi"""\nSER2,"two\nlines"\nSER3,x\n';
    expect(parseTargetList(text, 'notes.csv')).toEqual([
      { by: 'serial', value: 'SER,1', line: 2 },
      { by: 'serial', value: 'SER2', line: 3 },
      { by: 'serial', value: 'SER3', line: 5 },
    ]);
  });

  it('handles a byte order mark, CRLF, comments, blank lines and spaces around cells', () => {
    const text = '\uFEFFserial,owner\r\n# returned ones below\r\n\r\n  SER1 , bob\r\nSER2,carol\r\n';
    expect(parseTargetList(text, 'excel.csv')).toEqual([
      { by: 'serial', value: 'SER1', line: 4 },
      { by: 'serial', value: 'SER2', line: 5 },
    ]);
  });

  it('a blank cell in the key column is an error naming the file and line, exit 8: never a wildcard', () => {
    const error = refusal('serial,owner\nSER1,bob\n,carol\nSER3,dan\n');
    expect(error.message).toBe('devices.csv:3: the serial cell is blank: every row must name its device');
    expect(error.exitCode).toBe(ExitCode.refusedByGuard);
  });

  it('a quoted blank cell is blank too', () => {
    expect(refusal('id\n""\n').message).toBe(
      'devices.csv:2: the id cell is blank: every row must name its device',
    );
  });

  it('a header without an id, serial or imei column is refused, naming what it has', () => {
    expect(refusal('name,owner\nphone,bob\n').message).toBe(
      'devices.csv:1: the CSV header names no id, serial or imei column (it has: name, owner)',
    );
  });

  it('a row with another number of cells than the header is refused, naming its line', () => {
    const error = refusal('serial,owner\nSER1,bob\nSER2,carol,extra\n');
    expect(error.message).toMatch(/^devices\.csv: not a valid CSV: .*line 3/);
    expect(error.exitCode).toBe(ExitCode.refusedByGuard);
  });

  it('a header and no rows names no device', () => {
    expect(refusal('serial,owner\n').message).toBe('devices.csv: names no device');
  });
});
