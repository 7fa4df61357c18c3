/**
 * Exports the last 7 days of device location events to a file, as NDJSON (one event per line),
 * streamed from the server to the file without holding the export in memory.
 *
 *   FLEETOPS_SERVER=... FLEETOPS_TOKEN=fo_api_... node examples/export-audit-log.ts locations.ndjson
 *
 * Needs an `auditor` token. Add `--redact` to mask personal fields (locations rounded to ~1 km).
 */
import { createWriteStream } from 'node:fs';
import { Writable } from 'node:stream';
import { FleetClient } from '@fleetops/sdk';

const [file, ...flags] = process.argv.slice(2);
if (!file || flags.some((flag) => flag !== '--redact')) {
  console.error('usage: node examples/export-audit-log.ts <file.ndjson> [--redact]');
  process.exit(2);
}
const fleet = new FleetClient({
  baseUrl: process.env.FLEETOPS_SERVER ?? '',
  token: process.env.FLEETOPS_TOKEN ?? '',
});
const since = new Date(Date.now() - 7 * 86_400_000).toISOString();

// The promise resolves once the server accepted the export; the events then flow to the file.
const exported = await fleet.audit.export({
  category: 'location',
  since,
  redact: flags.includes('--redact'),
});
let events = 0;
const countLines = new TransformStream<Uint8Array, Uint8Array>({
  transform(chunk, controller) {
    for (const byte of chunk) if (byte === 0x0a) events++;
    controller.enqueue(chunk);
  },
});
await exported.body.pipeThrough(countLines).pipeTo(Writable.toWeb(createWriteStream(file)));
fleet.close();
console.error(`${events} location events since ${since} written to ${file}`);
