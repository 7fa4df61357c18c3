/**
 * Prints, as CSV, every device not seen for a number of days (default 14), oldest first:
 * the list a help desk works through before locking or retiring them.
 *
 *   FLEETOPS_SERVER=... FLEETOPS_TOKEN=... node examples/stale-devices-csv.ts 30 > stale.csv
 */
import { FleetClient } from '@fleetops/sdk';

const days = Number(process.argv[2] ?? 14);
if (!Number.isInteger(days) || days < 1) {
  console.error(
    `usage: node examples/stale-devices-csv.ts [days]: "${process.argv[2]}" is not a whole number of days`,
  );
  process.exit(2);
}
const fleet = new FleetClient({
  baseUrl: process.env.FLEETOPS_SERVER ?? '',
  token: process.env.FLEETOPS_TOKEN ?? '',
});
const before = new Date(Date.now() - days * 86_400_000).toISOString();

const stale = [];
for await (const device of fleet.devices.list({ lastSeenBefore: before, limit: 500 })) stale.push(device);
fleet.close();
stale.sort((a, b) => a.lastSeenAt.localeCompare(b.lastSeenAt));

const quote = (value: string) => (/[",\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);
console.log('id,serial,model,group,lastSeenAt');
for (const d of stale) {
  console.log([d.id, d.facts.serial, d.facts.model, d.group, d.lastSeenAt].map(quote).join(','));
}
