import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PolicyDocument } from '@fleetops/protocol';
import { stringify } from 'yaml';
import type { Handler } from '../../command';
import { list } from '../../output/view';
import { type PulledPolicy, pulledColumns } from './columns';
import { inSchemaOrder } from './schema-order';

/**
 * Writes every live policy to `DIR/<name>.yaml`, keys in the order of the schema, so that a
 * pull followed by a plan shows no change. Files of the same name are overwritten; other files
 * are left alone.
 */
export const handler: Handler<{ dir: string }> = async ({ dir }, { client, io }) => {
  const set = await (await client()).policies.list();
  await mkdir(dir, { recursive: true });
  const written: PulledPolicy[] = [];
  for (const policy of set.policies) {
    const file = join(dir, `${policy.name}.yaml`);
    await writeFile(file, stringify(inSchemaOrder(PolicyDocument, policy.document), { lineWidth: 0 }));
    written.push({ name: policy.name, version: policy.version, file });
  }
  io.info(
    `wrote ${written.length} ${written.length === 1 ? 'policy' : 'policies'} of revision ${set.revision} to ${dir}`,
  );
  return list(written, pulledColumns, { emptyMessage: 'no live policies' });
};
