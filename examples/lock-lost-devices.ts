/**
 * Locks every device labelled `lost`, as one job, and reports how each lock ended.
 *
 *   FLEETOPS_SERVER=http://127.0.0.1:8420 FLEETOPS_TOKEN=fo_api_... node examples/lock-lost-devices.ts
 *
 * Exits 0 when every lock succeeded, 3 when some did not (the CLI's partial-failure code).
 */
import { FleetClient } from '@fleetops/sdk';

const fleet = new FleetClient({
  baseUrl: process.env.FLEETOPS_SERVER ?? '',
  token: process.env.FLEETOPS_TOKEN ?? '',
});
const message = process.env.LOCK_MESSAGE ?? 'This device was reported lost. Please call IT.';

// One request: the server resolves the selector once and queues a lock per device.
const job = await fleet.jobs.create({
  type: 'lock',
  params: { message },
  targets: { where: 'label = lost' },
  reason: 'reported lost',
});
const done = await fleet.jobs.wait(job.id, {
  timeoutMs: 60_000,
  onProgress: (progress) => console.error(`${progress.status}: ${JSON.stringify(progress.counts)}`),
});
for await (const outcome of fleet.jobs.results(job.id)) {
  console.log(`${outcome.serial}\t${outcome.status}${outcome.error ? `\t${outcome.error}` : ''}`);
}
fleet.close();

// A device skipped as already locked is locked.
const locked = done.counts.succeeded + done.counts.skipped;
const failed = done.targetCount - locked;
console.error(`${done.targetCount} lost devices, ${locked} locked, ${failed} not locked`);
process.exitCode = failed > 0 ? 3 : 0;
