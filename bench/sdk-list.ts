import { FleetClient } from '@fleetops/sdk';
import { Agent, request } from 'undici';
import { type BenchResult, median, round } from './lib/measure.ts';
import { startSeededServer } from './lib/spawn-seeded-server.ts';

const DEVICES = 10_000;
const PAGE = 500;
const ROUNDS = 5;

/** The raw baseline: the same pages fetched with undici and parsed with JSON.parse, nothing else. */
async function rawLoop(url: string, token: string, dispatcher: Agent): Promise<number> {
  let count = 0;
  let cursor: string | null = null;
  do {
    const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
    const response = await request(`${url}/v1/devices?limit=${PAGE}${query}`, {
      dispatcher,
      headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
    });
    const page = (await response.body.json()) as { data: unknown[]; nextCursor: string | null };
    count += page.data.length;
    cursor = page.nextCursor;
  } while (cursor);
  return count;
}

async function sdkLoop(client: FleetClient): Promise<number> {
  let count = 0;
  for await (const _device of client.devices.list({ limit: PAGE })) count += 1;
  return count;
}

async function timed(run: () => Promise<number>): Promise<number> {
  const start = performance.now();
  const count = await run();
  if (count !== DEVICES) throw new Error(`listed ${count} devices, expected ${DEVICES}`);
  return DEVICES / ((performance.now() - start) / 1000);
}

/** Listing 10,000 devices through the SDK against a raw undici GET loop over the same pages. */
export async function sdkList(): Promise<BenchResult> {
  const server = await startSeededServer(DEVICES);
  const { url, token } = server;
  try {
    const dispatcher = new Agent({ connections: 4 });
    const client = new FleetClient({ baseUrl: url, token });
    await timed(() => rawLoop(url, token, dispatcher));
    await timed(() => sdkLoop(client));
    const raw: number[] = [];
    const sdk: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      raw.push(await timed(() => rawLoop(url, token, dispatcher)));
      sdk.push(await timed(() => sdkLoop(client)));
    }
    await dispatcher.close();
    const figure = median(sdk);
    const baseline = median(raw);
    return {
      name: 'sdk-list-10k-devices',
      unit: 'devices/s',
      figure: round(figure, 0),
      baseline: round(baseline, 0),
      baselineName: 'undici request loop + JSON.parse over the same pages',
      ratio: round(figure / baseline),
      better: 'higher',
      target: 'ratio >= 0.8',
      details: { devices: DEVICES, pageSize: PAGE, rounds: ROUNDS },
    };
  } finally {
    await server.stop();
  }
}
