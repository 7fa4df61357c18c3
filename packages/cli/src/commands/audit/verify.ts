import { readFile } from 'node:fs/promises';
import type { ActivityVerifyResult } from '@fleetops/protocol';
import type { ActivityWitness } from '@fleetops/sdk';
import { writeFileAtomically } from '../../atomic-file';
import type { Handler } from '../../command';
import { CliError, ExitCode } from '../../errors';
import { record } from '../../output/view';
import { write } from '../../output/write';
import { spin } from '../../spinner';
import { verifyColumns } from './verify-columns';

/** Options of `audit verify`. */
export interface VerifyOptions {
  witness?: string;
}

/**
 * Recomputes the activity log's hash chain and checks its signed checkpoints on the server.
 * Exit 0 when it verifies, 5 at the first break. With `--witness FILE`, the head a previous run
 * saw must still be in the chain (so cutting entries off its end is caught), and the new head is
 * saved to FILE after a good verify.
 */
export const handler: Handler<VerifyOptions> = async (opts, { client, io }) => {
  const witness = opts.witness === undefined ? undefined : await readWitness(opts.witness);
  const fleet = await client();
  const result = await spin(io, 'verifying the activity log', () => fleet.audit.verify(witness));
  if (result.ok && result.head && opts.witness !== undefined) {
    await writeFileAtomically(opts.witness, `${JSON.stringify(result.head)}\n`, 0o644);
  }
  const exitCode = result.ok ? ExitCode.ok : ExitCode.auditChainBroken;
  if (opts.output !== 'table') return record(result, verifyColumns, { exitCode });
  await write(io.stdout, `${describe(result)}\n`);
  return { kind: 'none', exitCode };
};

/** The outcome in one line. */
export function describe(result: ActivityVerifyResult): string {
  if (result.broken)
    return `broken at entry ${result.broken.seq} (${result.broken.kind}): ${result.broken.message}`;
  const head = result.head ? `, head ${result.head.seq} ${result.head.hash}` : ' (the log is empty)';
  const checkpoint = result.latestCheckpoint
    ? `, latest checkpoint #${result.latestCheckpoint.number} at entry ${result.latestCheckpoint.seq} (${result.latestCheckpoint.at})`
    : ', no checkpoint yet';
  return `ok: ${result.entries} entries${head}${checkpoint}`;
}

/** The head saved by an earlier run, if FILE exists: `{"seq": 42, "hash": "…"}`. */
async function readWitness(path: string): Promise<ActivityWitness | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new CliError(`cannot read the witness ${path} (${(error as NodeJS.ErrnoException).code})`);
  }
  const witness = parseWitness(text);
  if (!witness) {
    throw new CliError(
      `${path} is not a witness: expected {"seq": N, "hash": "<64 hex digits>"} as audit verify writes it`,
      ExitCode.usage,
    );
  }
  return witness;
}

function parseWitness(text: string): ActivityWitness | undefined {
  try {
    const { seq, hash } = JSON.parse(text) as Partial<ActivityWitness>;
    const valid =
      Number.isSafeInteger(seq) && seq! > 0 && typeof hash === 'string' && /^[0-9a-f]{64}$/.test(hash);
    return valid ? { seq: seq!, hash: hash! } : undefined;
  } catch {
    return undefined;
  }
}
