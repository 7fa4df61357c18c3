import { rm } from 'node:fs/promises';
import type { Handler } from '../../command';
import {
  type ByteSink,
  createFileSink,
  isStdout,
  refuseToOverwrite,
  stdoutSink,
} from '../../output/byte-sink';
import { formatBytes } from '../audit/export-progress';
import { resolveUser } from './resolve';

/** Options of `users export-data`. */
export interface ExportDataOptions {
  user: string;
  out?: string;
  force?: boolean;
}

/**
 * Writes everything stored about one user (right of access) as one JSON object: the user, their
 * devices with apps, their events, the commands sent to their devices and the activity about
 * them. Streamed to the file (or stdout), never held whole in memory.
 */
export const handler: Handler<ExportDataOptions> = async (opts, { client, io }) => {
  const toStdout = isStdout(opts.out);
  if (!toStdout) await refuseToOverwrite(opts.out!, opts.force);
  const fleet = await client();
  const user = await resolveUser(fleet, opts.user);
  const { body } = await fleet.users.exportData(user.id);
  let sink: ByteSink;
  try {
    sink = toStdout ? stdoutSink(io) : await createFileSink(opts.out!, opts.force);
  } catch (error) {
    await body.cancel();
    throw error;
  }
  let bytes = 0;
  try {
    for await (const chunk of body) {
      await sink.write(chunk);
      bytes += chunk.byteLength;
    }
  } catch (error) {
    // A cut-off export must not pass for the whole of a person's data.
    await sink.close();
    if (sink.path) await rm(sink.path, { force: true });
    throw error;
  }
  await sink.close();
  if (!toStdout) io.info(`wrote the data of user ${user.id} to ${opts.out} (${formatBytes(bytes)})`);
  return { kind: 'none' };
};
