import { describe, expect, it } from 'vitest';
import { ImportFileError, parseUserFile } from './import-file';

describe('users import: the CSV', () => {
  it('reads the columns by header, in any order, leaving out blank optional cells', () => {
    const text =
      'Name,E-mail,external_id,phone,department\nAlice,alice@example.com,E1,,Sales\n\nBob,bob@example.com,,+14155550100,IT\n';
    const { rows, ignored } = parseUserFile(text.replace('E-mail', 'email'), 'staff.csv');
    expect(rows).toEqual([
      { email: 'alice@example.com', name: 'Alice', externalId: 'E1', line: 2 },
      { email: 'bob@example.com', name: 'Bob', phone: '+14155550100', line: 4 },
    ]);
    expect(ignored).toEqual(['department']);
  });

  it('names every bad line, and e-mails listed twice', () => {
    const text =
      'email,name,phone\nalice@example.com,Alice,\nnot-an-email,Bob,\ncarol@example.com,Carol,555\nALICE@example.com,Al,\n';
    let error: ImportFileError | undefined;
    try {
      parseUserFile(text, 'staff.csv');
    } catch (e) {
      error = e as ImportFileError;
    }
    expect(error).toBeInstanceOf(ImportFileError);
    expect(error!.exitCode).toBe(2);
    expect(error!.message.split('\n')).toEqual([
      'staff.csv:3: email: not a valid e-mail address',
      'staff.csv:4: phone: a phone number is in E.164 form, e.g. +14155550100',
      'staff.csv:5: ALICE@example.com is also on line 2',
    ]);
  });

  it('refuses a header without an email or name column', () => {
    expect(() => parseUserFile('mail,name\na@example.com,A\n', 'staff.csv')).toThrow(
      'staff.csv:1: the header has no email column (it has: mail, name)',
    );
  });
});
