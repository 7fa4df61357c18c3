import { randomBytes } from 'node:crypto';
import type { DeviceFactsInput, ManagementMode, Role } from '@fleetops/protocol';
import pg from 'pg';
import { afterAll, beforeAll, describe } from 'vitest';
import { type AppOptions, buildApp } from '../src/app';
import { bootstrap } from '../src/bootstrap';
import { createServices, type Services } from '../src/services';
import type { Db } from '../src/store/db';
import { migrate } from '../src/store/migrations';
import { openPglite } from '../src/store/pglite';
import { openPostgres } from '../src/store/postgres';

/** The stores every integration test runs on: PGlite always, PostgreSQL when its URL is given. */
export const STORES = [
  'pglite',
  ...(process.env.FLEETOPS_TEST_DATABASE_URL ? (['postgres'] as const) : []),
] as const;

/** A PostgreSQL schema of its own per test file, so files never see each other's rows. */
export async function openIsolatedPostgres(
  baseUrl: string,
): Promise<{ db: Db; url: string; drop: () => Promise<void> }> {
  const schema = `test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  const url = new URL(baseUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  const db = await openPostgres(url.toString());
  return {
    db,
    url: url.toString(),
    drop: async () => {
      await admin.query(`DROP SCHEMA ${schema} CASCADE`);
      await admin.end();
    },
  };
}

export interface TestOrg {
  id: string;
  tokens: Record<Role, string>;
  /** Creates an enrollment token and returns its secret. */
  enrollmentToken(options?: {
    group?: string;
    maxUses?: number | null;
    mode?: ManagementMode;
  }): Promise<string>;
}

export interface Harness {
  url: string;
  services: Services;
  db: Db;
  /** A new org with one token of each role, so tests isolate themselves by org. */
  newOrg(name?: string): Promise<TestOrg>;
  api(
    token: string,
    path: string,
    init?: { method?: string; body?: unknown; headers?: Record<string, string> },
  ): Promise<Response>;
}

/** Migrates `db`, bootstraps it and serves the app on a free loopback port; `close` closes `db` too. */
export async function startApp(
  db: Db,
  options: ServerOptions = {},
): Promise<{ url: string; services: Services; close: () => Promise<void> }> {
  await migrate(db);
  let url = '';
  const services = createServices(db, { publicUrl: () => url });
  await bootstrap(services);
  const app = await buildApp({ services, ...options });
  url = await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    url,
    services,
    close: async () => {
      await app.close();
      await db.close();
    },
  };
}

/** What a test file may set of the app: e.g. `rolloutTickMs: 0` to advance rollouts only by hand. */
export type ServerOptions = Omit<AppOptions, 'services' | 'logger'>;

/** Starts a real server on port 0 over `store` for the tests of one file. */
export function useServer(store: (typeof STORES)[number], options: ServerOptions = {}): Harness {
  const harness = {} as Harness;
  let close: () => Promise<void>;
  beforeAll(async () => {
    let db: Db;
    let drop = async () => {};
    if (store === 'postgres')
      ({ db, drop } = await openIsolatedPostgres(process.env.FLEETOPS_TEST_DATABASE_URL!));
    else db = await openPglite();
    const { url, services, close: closeApp } = await startApp(db, options);
    close = async () => {
      await closeApp();
      await drop();
    };
    Object.assign(harness, {
      url,
      services,
      db,
      async newOrg(name = 'org') {
        const org = await services.orgs.create(`${name}-${randomBytes(3).toString('hex')}`);
        const tokens = {} as Record<Role, string>;
        for (const role of ['viewer', 'auditor', 'operator', 'admin'] as const) {
          tokens[role] = (await services.apiTokens.create(org.id, `${role}-token`, role)).token;
        }
        return {
          id: org.id,
          tokens,
          enrollmentToken: async ({ group = 'default', maxUses = null, mode = 'COPE' } = {}) =>
            (
              await services.enrollmentTokens.create(
                org.id,
                { group, mode, expiresInSeconds: 3600, maxUses },
                url,
              )
            ).token,
        };
      },
      api: (token, path, init = {}) =>
        fetch(url + path, {
          method: init.method ?? 'GET',
          headers: {
            authorization: `Bearer ${token}`,
            ...(init.body !== undefined && { 'content-type': 'application/json' }),
            ...init.headers,
          },
          body:
            init.body === undefined
              ? undefined
              : typeof init.body === 'string'
                ? init.body
                : JSON.stringify(init.body),
        }),
    } satisfies Harness);
  });
  afterAll(() => close?.());
  return harness;
}

/** Runs the same suite once per store. */
export function describeStores(
  name: string,
  suite: (harness: Harness) => void,
  options: ServerOptions = {},
): void {
  describe.each(STORES)(`${name} [%s]`, (store) => suite(useServer(store, options)));
}

let serial = 0;

/** Plausible device facts; each call gives a new serial. */
export function facts(overrides: Partial<DeviceFactsInput> = {}): DeviceFactsInput {
  serial += 1;
  return {
    model: 'Pixel 8',
    brand: 'Google',
    os: 'android',
    osVersion: '14',
    serial: `SN${String(serial).padStart(8, '0')}`,
    imei: '356938035643809',
    macAddress: '02:00:00:00:00:01',
    androidId: '9774d56d682e549c',
    phoneNumber: '+14155550100',
    networkType: 'wifi',
    wifiEnabled: true,
    ...overrides,
  };
}

/** Enrolls a device through the device API; returns its id and credential. */
export async function enroll(
  harness: Harness,
  enrollmentToken: string,
  overrides: Partial<DeviceFactsInput> = {},
): Promise<{ deviceId: string; credential: string }> {
  const response = await fetch(`${harness.url}/device/v1/enroll`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ enrollmentToken, facts: facts(overrides) }),
  });
  if (response.status !== 201) throw new Error(`enroll failed: ${response.status} ${await response.text()}`);
  return (await response.json()) as { deviceId: string; credential: string };
}

/** Calls the device API with a device credential. */
export function deviceApi(
  harness: Harness,
  credential: string,
  path: string,
  body?: unknown,
): Promise<Response> {
  return fetch(harness.url + path, {
    method: body === undefined ? 'GET' : 'POST',
    headers: {
      authorization: `Bearer ${credential}`,
      ...(body !== undefined && { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}
