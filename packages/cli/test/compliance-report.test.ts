import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { FleetClient } from '@fleetops/sdk';
import { type RunningServer, startServer } from '@fleetops/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHART_COLORS } from '../src/reports/html-charts';
import { COMPLIANCE_RULES, enrollComplianceFleet, reportState } from './compliance-fleet';
import { cliEnv, runCli, tempDir } from './helpers';
import { decodePng, findColor, type Image, runsDown } from './png';

/** The Chromium of the machine (Debian's package `chromium`), if there is one. */
function findChromium(): string | undefined {
  const names = ['chromium', 'chromium-browser', 'google-chrome'];
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    for (const name of names) {
      try {
        accessSync(join(dir, name), constants.X_OK);
        return join(dir, name);
      } catch {}
    }
  }
  return undefined;
}

const chromium = findChromium();

let server: RunningServer;
let sdk: FleetClient;
let dir: Awaited<ReturnType<typeof tempDir>>;

beforeAll(async () => {
  if (!chromium) return;
  server = await startServer({ port: 0, logLevel: 'silent' });
  dir = await tempDir('compliance-report');
  sdk = new FleetClient({ baseUrl: server.url, token: server.adminToken! });
  await sdk.compliance.rules.apply(COMPLIANCE_RULES);
});

afterAll(async () => {
  await sdk?.close();
  await server?.close();
  await dir?.remove();
});

/**
 * Screenshots `page` as headless Chromium renders it, into a decoded image. The page has no
 * script to run (its Content-Security-Policy forbids any), so this is also how it looks with
 * JavaScript off.
 */
async function screenshot(page: string): Promise<Image> {
  const png = join(dir.path, 'report.png');
  await promisify(execFile)(
    chromium!,
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      `--user-data-dir=${join(dir.path, 'profile')}`,
      `--screenshot=${png}`,
      '--window-size=1200,1600',
      `file://${page}`,
    ],
    { timeout: 60_000 },
  );
  return decodePng(await readFile(png));
}

describe.skipIf(!chromium)(
  `the HTML report in headless Chromium${chromium ? '' : ' (skipped: no chromium on PATH; apt-get install chromium)'}`,
  () => {
    it('renders its charts: the rate over time above the bars by rule and by group', async () => {
      const fleet = await enrollComplianceFleet(server);
      // Three scans of the whole fleet as it gets worse: a history whose line goes down.
      await reportState(server.url, fleet.unlocked, { facts: { passcodeSet: true } });
      await reportState(server.url, fleet.outdated, { facts: { osVersion: '15' } });
      await sdk.compliance.scan();
      await reportState(server.url, fleet.unlocked, { facts: { passcodeSet: false } });
      await sdk.compliance.scan();
      await reportState(server.url, fleet.outdated, { facts: { osVersion: '12' } });

      const page = join(dir.path, 'report.html');
      const env = cliEnv(dir.path, { FLEETOPS_SERVER: server.url, FLEETOPS_TOKEN: server.adminToken! });
      const run = await runCli(['compliance', 'scan', '-o', 'html', '--out', page], env);
      expect(run.code, run.stderr).toBe(0);
      expect((await sdk.compliance.history()).points.map((p) => p.nonCompliantCount)).toEqual([1, 2, 3]);

      const image = await screenshot(page);
      const rate = findColor(image, CHART_COLORS.rate);
      const rules = findColor(image, CHART_COLORS.rules);
      const groups = findColor(image, CHART_COLORS.groups);
      // The line crosses most of the page and falls from scan to scan.
      expect(rate.count).toBeGreaterThan(1000);
      expect(rate.right - rate.left).toBeGreaterThan(800);
      expect(rate.bottom - rate.top).toBeGreaterThan(40);
      // One bar per rule broken (the rule nobody breaks has none), one per group.
      expect(runsDown(image, rules.left + 2, CHART_COLORS.rules)).toBe(3);
      expect(runsDown(image, groups.left + 2, CHART_COLORS.groups)).toBe(2);
      // The bar charts sit side by side under the rate chart, on the first screen.
      expect(rate.bottom).toBeLessThan(rules.top);
      expect(rate.bottom).toBeLessThan(groups.top);
      expect(rules.right).toBeLessThan(groups.left);
      expect(Math.max(rules.bottom, groups.bottom)).toBeLessThan(image.height);
    });
  },
);
