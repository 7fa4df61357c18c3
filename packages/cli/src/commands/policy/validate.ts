import type { Handler } from '../../command';
import { loadValidPolicies } from './check';

/** Checks policy files without a server: syntax, schema, one policy per file, unique names. */
export const handler: Handler<{ paths: string[] }> = async ({ paths }, { io }) => {
  const policies = await loadValidPolicies(paths, io);
  io.stdout.write(`${policies.length} ${policies.length === 1 ? 'policy' : 'policies'} valid\n`);
  return { kind: 'none' };
};
