import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { type InstalledApp, type ManagementMode, PolicyDocument } from '@fleetops/protocol';
import type { Queryable, Services } from '@fleetops/server';
import { generateDevice } from '@fleetops/simulator';

/** Installed apps per device. */
export const APPS_PER_DEVICE = 100;
/** Devices written per statement: 200,000 app rows. */
const BATCH = 2000;
const SEED = 42;
/** Apps of small vendors and in-house apps, beyond the simulator's catalogue: the long tail. */
const LONG_TAIL = 20_000;
const STALKERWARE_SHARE = 0.01;
/** Devices with a stalkerware app under a package id of its own, known only by its certificate. */
const RENAMED_STALKERWARE_SHARE = 0.002;
const POLICY_GROUPS = ['sales', 'support', 'warehouse', 'finance'];

const groups: [group: string, mode: ManagementMode, weight: number][] = [
  ['sales', 'COPE', 30],
  ['support', 'COPE', 20],
  ['warehouse', 'COBO', 20],
  ['finance', 'COPE', 10],
  ['byod', 'BYOD', 20],
];

/** Hours since the last check-in, by share of devices: far from the 2, 7, 14 and 30 day limits of the rules. */
const lastSeen: [share: number, fromHours: number, toHours: number][] = [
  [0.88, 0, 20],
  [0.04, 72, 120],
  [0.03, 192, 288],
  [0.03, 384, 600],
  [0.02, 840, 1440],
];

/** The security apps corporate devices must run, and an old build of each. */
const securityApps: Record<'android' | 'ios', [packageId: string, oldVersion: string][]> = {
  android: [
    ['com.azure.authenticator', '6.2310.6811'],
    ['com.microsoft.office.outlook', '4.2330.2'],
  ],
  ios: [
    ['com.microsoft.azureauthenticator', '6.7.12'],
    ['com.microsoft.Office.Outlook', '4.2330.0'],
  ],
};

/** A device's policy as the store will hold it: applied, an older one, none yet, or applied with failures. */
type PolicyState = 'applied' | 'stale' | 'none' | 'failures';

/** One row of an indicator file: the indicator (package id or digest) and its app. */
type Indicator = [indicator: string, app: string];

const examples = new URL('../../examples/compliance/', import.meta.url);

/** The rows of an indicator file of examples/compliance, without its header comments. */
export function indicators(name: 'stalkerware-packages.tsv' | 'stalkerware-certificates.tsv'): Indicator[] {
  return readFileSync(new URL(name, examples), 'utf8')
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => line.split('\t').slice(0, 2) as Indicator);
}

/** mulberry32: the bench's own seeded draws, so the same fleet comes back at every run. */
function draws(seed: number): () => number {
  let a = seed | 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sha1 = (text: string) => createHash('sha1').update(text).digest('hex').toUpperCase();

function uuidv7(ms: number): string {
  const bytes = randomBytes(16);
  bytes.writeUIntBE(ms, 0, 6);
  bytes[6] = (bytes[6]! & 0x0f) | 0x70;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const h = bytes.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** Every distinct app installed in the fleet, numbered in the order first seen. */
class AppCatalogue {
  readonly apps: InstalledApp[] = [];
  private readonly numbers = new Map<string, number>();
  /** Apps numbered since the last {@link takeNew}. */
  private fresh = 0;

  number(app: InstalledApp): number {
    const key = `${app.packageId}\t${app.version}\t${app.certificate}\t${app.installer}\t${app.name}`;
    let n = this.numbers.get(key);
    if (n === undefined) {
      n = this.apps.push(app) - 1;
      this.numbers.set(key, n);
    }
    return n;
  }

  takeNew(): { from: number; apps: InstalledApp[] } {
    const from = this.fresh;
    this.fresh = this.apps.length;
    return { from, apps: this.apps.slice(from) };
  }
}

function longTailApp(n: number): InstalledApp {
  const packageId = `com.vendor${n % 3000}.app${n}`;
  return {
    packageId,
    name: `App ${n}`,
    version: `${1 + (n % 9)}.${n % 23}.${n % 7}`,
    installer: n % 10 === 0 ? null : 'com.android.vending',
    certificate: sha1(packageId),
  };
}

/** What the generator made, for the rules and their hand-written baseline. */
export interface SeededFleet {
  devices: number;
  appRows: number;
  distinctApps: number;
  /** Devices carrying a stalkerware app, by package id or only by certificate. */
  stalkerwareDevices: number;
  /** The effective policy hash of each group a policy is assigned to. */
  policyHashes: Map<string, string>;
}

/**
 * Writes `count` active devices of the org straight into the store, each with 100 installed apps:
 * facts (OS version, passcode, encryption, root) and the apps of a simulated phone (seed 42),
 * minus the simulator's own stalkerware, topped up with long-tail apps; the corporate security
 * apps on 97% of corporate devices (1.5% an old build, 1.5% none); a stalkerware package of the
 * real list on 1% of Android phones (with its family's certificate when the list has one) and a
 * known certificate under a made-up package id on 0.2%; last check-ins mostly within the day;
 * and one policy for the corporate groups, applied by 95% of their devices (2% an older one, 1%
 * none, 2% with failures).
 */
export async function seedComplianceFleet(
  db: Queryable,
  services: Services,
  orgId: string,
  count: number,
): Promise<SeededFleet> {
  const random = draws(SEED);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  const packages = indicators('stalkerware-packages.tsv');
  const certificates = indicators('stalkerware-certificates.tsv');
  const blocked = new Set(packages.map(([packageId]) => packageId));
  const certificateOf = new Map<string, string>();
  for (const [digest, app] of certificates) if (!certificateOf.has(app)) certificateOf.set(app, digest);
  const groupWeights = groups.reduce((sum, [, , weight]) => sum + weight, 0);

  await db.query(
    `CREATE TABLE bench_app_catalogue (
       n integer PRIMARY KEY, package_id text, name text, version text, installer text, certificate text)`,
  );
  const catalogue = new AppCatalogue();
  const policyStates: { id: string; state: PolicyState }[] = [];
  let stalkerwareDevices = 0;
  const start = Date.now() - count;

  for (let from = 0; from < count; from += BATCH) {
    const rows: { id: string; group: string; mode: string; facts: string; hours: number; apps: number[] }[] =
      [];
    for (let index = from; index < Math.min(count, from + BATCH); index++) {
      const generated = generateDevice(SEED, index);
      const os = generated.facts.os;
      const [group, mode] = weighted(groups, random() * groupWeights, ([, , weight]) => weight);

      const apps = new Map<string, InstalledApp>();
      const keep = (app: InstalledApp) => apps.set(app.packageId, app);
      if (mode !== 'BYOD') {
        for (const [packageId, oldVersion] of securityApps[os]) {
          const current = generated.store.find((entry) => entry.app.packageId === packageId)?.app;
          const roll = random();
          if (!current || roll < 0.015) continue;
          keep(roll < 0.03 ? { ...current, version: oldVersion } : current);
        }
      }
      const roll = random();
      if (os === 'android' && roll < STALKERWARE_SHARE) {
        stalkerwareDevices++;
        const [packageId, app] = pick(packages);
        keep({
          packageId,
          name: 'System Service',
          version: '3.2.1',
          installer: null,
          certificate: certificateOf.get(app) ?? sha1(packageId),
        });
      } else if (os === 'android' && roll < STALKERWARE_SHARE + RENAMED_STALKERWARE_SHARE) {
        stalkerwareDevices++;
        const [digest] = pick(certificates);
        keep({
          packageId: `com.android.system.update${index}`,
          name: 'Update Service',
          version: '1.0',
          installer: null,
          certificate: digest,
        });
      }
      for (const app of generated.apps) {
        if (apps.size >= APPS_PER_DEVICE) break;
        if (!blocked.has(app.packageId) && !apps.has(app.packageId)) keep(app);
      }
      while (apps.size < APPS_PER_DEVICE) {
        const app = longTailApp(Math.floor(LONG_TAIL * random() ** 3));
        if (!apps.has(app.packageId)) keep(app);
      }

      const [, fromHours, toHours] = weighted(lastSeen, random(), ([share]) => share);
      const id = uuidv7(start + index);
      policyStates.push({ id, state: policyState(random()) });
      rows.push({
        id,
        group,
        mode,
        facts: JSON.stringify(generated.facts),
        hours: fromHours + random() * (toHours - fromHours),
        apps: [...apps.values()].map((app) => catalogue.number(app)),
      });
    }

    const fresh = catalogue.takeNew();
    if (fresh.apps.length > 0) {
      await db.query(
        `INSERT INTO bench_app_catalogue
         SELECT * FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])`,
        [
          fresh.apps.map((_, i) => fresh.from + i),
          fresh.apps.map((app) => app.packageId),
          fresh.apps.map((app) => app.name),
          fresh.apps.map((app) => app.version),
          fresh.apps.map((app) => app.installer),
          fresh.apps.map((app) => app.certificate),
        ],
      );
    }
    await db.query(
      `INSERT INTO devices (id, org_id, group_name, labels, mode, credential_hash, facts, app_count,
                            enrolled_at, last_seen_at)
       SELECT id, $1, g, '{}', m, 'bench-' || id, f::jsonb, ${APPS_PER_DEVICE},
              now() - interval '90 days', now() - make_interval(secs => h * 3600)
       FROM unnest($2::uuid[], $3::text[], $4::text[], $5::text[], $6::float8[]) AS t(id, g, m, f, h)`,
      [
        orgId,
        rows.map((row) => row.id),
        rows.map((row) => row.group),
        rows.map((row) => row.mode),
        rows.map((row) => row.facts),
        rows.map((row) => row.hours),
      ],
    );
    await db.query(
      `INSERT INTO device_apps (device_id, package_id, name, version, installer, certificate)
       SELECT d.id, c.package_id, c.name, c.version, c.installer, c.certificate
       FROM unnest($1::uuid[], $2::text[]) AS d(id, apps)
       CROSS JOIN LATERAL unnest(d.apps::int[]) AS a(n)
       JOIN bench_app_catalogue c ON c.n = a.n`,
      [rows.map((row) => row.id), rows.map((row) => `{${row.apps.join(',')}}`)],
    );
  }
  await db.query('DROP TABLE bench_app_catalogue');

  const policyHashes = await assignPolicy(db, services, orgId, policyStates);
  return {
    devices: count,
    appRows: count * APPS_PER_DEVICE,
    distinctApps: catalogue.apps.length,
    stalkerwareDevices,
    policyHashes,
  };
}

/** The item at `point` of the items laid end to end, each as long as its weight. */
function weighted<T>(items: readonly T[], point: number, weightOf: (item: T) => number): T {
  let left = point;
  for (const item of items) {
    left -= weightOf(item);
    if (left < 0) return item;
  }
  return items[items.length - 1]!;
}

function policyState(draw: number): PolicyState {
  if (draw < 0.02) return 'stale';
  if (draw < 0.03) return 'none';
  if (draw < 0.05) return 'failures';
  return 'applied';
}

/**
 * Assigns one policy to the corporate groups (as `fleetops policy apply` would), then marks in
 * the store what each device reports running. Devices of groups without policy (byod) keep none:
 * they are in sync.
 */
async function assignPolicy(
  db: Queryable,
  services: Services,
  orgId: string,
  states: { id: string; state: PolicyState }[],
): Promise<Map<string, string>> {
  const document = PolicyDocument.parse({
    apiVersion: 'fleetops.dev/v1',
    kind: 'Policy',
    metadata: { name: 'corp-baseline', description: 'Every company-owned phone' },
    spec: {
      restrictions: { factoryResetDisabled: true, usbFileTransferDisabled: true },
      passwordRequirements: { passwordQuality: 'NUMERIC_COMPLEX', passwordMinimumLength: 6 },
      assignment: { groups: POLICY_GROUPS, priority: 10 },
    },
  });
  await services.policies.put(orgId, { name: 'bench' }, 'corp-baseline', document);
  const hashes = new Map<string, string>();
  for (const group of POLICY_GROUPS) {
    const [device] = await db.query<{ id: string }>(
      'SELECT id FROM devices WHERE org_id = $1 AND group_name = $2 LIMIT 1',
      [orgId, group],
    );
    if (device) hashes.set(group, (await services.policies.forDevice(orgId, device.id)).hash);
  }
  await db.query(
    `UPDATE devices d
     SET applied_policy_hash = CASE t.state WHEN 'stale' THEN 'an-older-policy' WHEN 'none' THEN NULL ELSE g.hash END,
         policy_failures = CASE WHEN t.state = 'failures'
           THEN '[{"path": "restrictions.usbFileTransferDisabled", "reason": "not supported by this model"}]'::jsonb
           ELSE '[]'::jsonb END
     FROM unnest($1::uuid[], $2::text[]) AS t(id, state), unnest($3::text[], $4::text[]) AS g(group_name, hash)
     WHERE d.id = t.id AND d.group_name = g.group_name`,
    [states.map((s) => s.id), states.map((s) => s.state), [...hashes.keys()], [...hashes.values()]],
  );
  return hashes;
}
