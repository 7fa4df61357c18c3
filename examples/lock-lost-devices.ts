/**
 * Locks every device labelled `lost` and reports how each lock ended.
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

const outcomes: { serial: string; status: string }[] = [];
for await (const device of fleet.devices.list({ label: 'lost' })) {
  const command = await fleet.commands.send(device.id, { type: 'lock', params: { message } });
  const done = await fleet.commands.wait(command.id, { timeoutMs: 60_000 });
  outcomes.push({ serial: device.facts.serial, status: done.status });
  console.log(`${device.facts.serial}\t${done.status}`);
}
fleet.close();

const failed = outcomes.filter((o) => o.status !== 'succeeded').length;
console.error(`${outcomes.length} lost devices, ${outcomes.length - failed} locked, ${failed} not locked`);
process.exitCode = failed > 0 ? 3 : 0;
