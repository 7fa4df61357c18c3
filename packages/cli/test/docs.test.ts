import { readFileSync, writeFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { cliReference, exitCodesReference, policySchemaReference } from '../src/reference';

const docs = new URL('../../../docs/', import.meta.url);
const generated = {
  'cli.md': cliReference(),
  'exit-codes.md': exitCodesReference(),
  'policy.schema.json': policySchemaReference(),
};

it.each(Object.entries(generated))('docs/%s matches the code (npm run docs regenerates it)', (file, text) => {
  const path = new URL(file, docs);
  if (process.env.FLEETOPS_WRITE_DOCS === '1') writeFileSync(path, text);
  expect(readFileSync(path, 'utf8')).toBe(text);
});
