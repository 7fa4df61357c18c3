import { expect, it } from 'vitest';
import { uuidv7 } from './ids';

it('makes version-7 UUIDs that sort in the order they were made, even within one millisecond', () => {
  const now = Date.now();
  const ids = Array.from({ length: 5000 }, () => uuidv7(now));
  expect([...ids].sort()).toEqual(ids);
  expect(new Set(ids).size).toBe(ids.length);
  for (const id of ids.slice(0, 10))
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  expect(uuidv7(now + 5000) > ids.at(-1)!).toBe(true);
});
