import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../src/store/db';
import { openPglite } from '../src/store/pglite';
import { openIsolatedPostgres, STORES } from './harness';

describe.each(STORES)('transactions spanning everything their callback calls [%s]', (store) => {
  let db: Db;
  let drop = async () => {};
  beforeAll(async () => {
    if (store === 'postgres')
      ({ db, drop } = await openIsolatedPostgres(process.env.FLEETOPS_TEST_DATABASE_URL!));
    else db = await openPglite();
    await db.exec('CREATE TABLE notes (text text NOT NULL)');
  });
  afterAll(async () => {
    await db?.close();
    await drop();
  });

  const notes = async () =>
    (await db.query<{ text: string }>('SELECT text FROM notes ORDER BY text')).map((r) => r.text);
  /** Code that knows nothing of the caller's transaction: it uses the store directly. */
  const addNote = (text: string) => db.query('INSERT INTO notes (text) VALUES ($1)', [text]);
  const addNoteInItsOwnTransaction = (text: string) => db.transaction(() => addNote(text));

  it('runs the queries and transactions of code it calls on the same transaction', async () => {
    await db.exec('DELETE FROM notes');
    const seen = await db.transaction(async () => {
      await addNote('a');
      await addNoteInItsOwnTransaction('b');
      return notes();
    });
    expect(seen).toEqual(['a', 'b']);
    expect(await notes()).toEqual(['a', 'b']);
  });

  it('rolls back everything the callback called when it throws', async () => {
    await db.exec('DELETE FROM notes');
    const failing = db.transaction(async () => {
      await addNote('c');
      await addNoteInItsOwnTransaction('d');
      throw new Error('refused');
    });
    await expect(failing).rejects.toThrow('refused');
    expect(await notes()).toEqual([]);
  });

  it('keeps concurrent transactions apart', async () => {
    await db.exec('DELETE FROM notes');
    const results = await Promise.allSettled([
      db.transaction(async () => {
        await addNote('kept');
        await addNoteInItsOwnTransaction('kept too');
      }),
      db.transaction(async () => {
        await addNote('dropped');
        throw new Error('refused');
      }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected']);
    expect(await notes()).toEqual(['kept', 'kept too']);
  });

  it('sends work that outlives the transaction to the store again', async () => {
    await db.exec('DELETE FROM notes');
    let later: () => Promise<unknown> = async () => {};
    await db.transaction(async () => {
      await addNote('inside');
      later = () => addNote('after');
    });
    await later();
    expect(await notes()).toEqual(['after', 'inside']);
  });

  it.runIf(store === 'postgres')(
    'delivers a NOTIFY made inside a transaction at its commit only',
    async () => {
      const heard: string[] = [];
      await db.notifications!.listen('ambient_test', (payload) => heard.push(payload));
      await db
        .transaction(async () => {
          await db.notifications!.notify('ambient_test', 'rolled back');
          throw new Error('refused');
        })
        .catch(() => {});
      await db.transaction(async () => {
        await db.notifications!.notify('ambient_test', 'committed');
        await new Promise((resolve) => setTimeout(resolve, 200));
        expect(heard).toEqual([]);
      });
      await expect.poll(() => heard).toEqual(['committed']);
    },
  );
});
