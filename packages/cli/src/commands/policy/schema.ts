import { policyJsonSchema } from '@fleetops/protocol';
import type { Handler } from '../../command';
import { write } from '../../output/write';

/** The JSON Schema of a policy file, as text (also docs/policy.schema.json). */
export const policySchemaText = (): string => `${JSON.stringify(policyJsonSchema(), null, 2)}\n`;

/** Prints the JSON Schema of a policy file, for editors and other validators. */
export const handler: Handler<object> = async (_opts, { io }) => {
  await write(io.stdout, policySchemaText());
  return { kind: 'none' };
};
