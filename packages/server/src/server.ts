import { join } from 'node:path';
import type { CreatedEnrollmentToken, CreateEnrollmentTokenRequest, Org } from '@fleetops/protocol';
import { CreateEnrollmentTokenRequest as CreateEnrollmentTokenSchema } from '@fleetops/protocol';
import { buildApp } from './app';
import { bootstrap } from './bootstrap';
import { createServices } from './services';
import type { Db } from './store/db';
import { migrate } from './store/migrations';
import { openPglite } from './store/pglite';
import { openPostgres } from './store/postgres';

export const DEFAULT_PORT = 8420;

export interface ServerOptions {
  port?: number;
  host?: string;
  /** PGlite data directory; omitted (and no databaseUrl) means an in-memory database. */
  dataDir?: string;
  /** A real PostgreSQL server instead of PGlite. */
  databaseUrl?: string;
  logLevel?: 'silent' | 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';
  logStream?: NodeJS.WritableStream;
  /** The URL devices reach the server at, put into enrollment payloads; defaults to the listening URL. */
  publicUrl?: string;
  checkInIntervalSeconds?: number;
  /** Requests per second each API token may make on average, bursts of twice that; 0 turns it off. */
  adminRequestsPerSecond?: number;
}

export interface RunningServer {
  url: string;
  org: Org;
  /** A new admin token's secret when this start created the org, else null. */
  adminToken: string | null;
  dataDir: string | null;
  createAdminToken(name: string): Promise<string>;
  createEnrollmentToken(input?: CreateEnrollmentTokenRequest): Promise<CreatedEnrollmentToken>;
  close(): Promise<void>;
}

/** Where PGlite keeps the database inside a data directory. */
export const databaseDir = (dataDir: string) => join(dataDir, 'db');

async function openStore(options: ServerOptions): Promise<Db> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl);
  return openPglite(options.dataDir ? databaseDir(options.dataDir) : undefined);
}

/** Opens the store, migrates it, bootstraps the first org and listens. */
export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const db = await openStore(options);
  let url = '';
  try {
    await migrate(db);
    const services = createServices(db, {
      publicUrl: () => options.publicUrl ?? url,
      checkInIntervalSeconds: options.checkInIntervalSeconds,
    });
    const { org, adminToken } = await bootstrap(services);
    const app = await buildApp({
      services,
      adminRequestsPerSecond: options.adminRequestsPerSecond,
      logger: {
        level: options.logLevel ?? 'info',
        ...(options.logStream && { stream: options.logStream }),
      },
    });
    const address = await app.listen({
      port: options.port ?? DEFAULT_PORT,
      host: options.host ?? '127.0.0.1',
    });
    url = address.replace('[::1]', 'localhost');
    return {
      url,
      org,
      adminToken,
      dataDir: options.databaseUrl ? null : (options.dataDir ?? null),
      createAdminToken: async (name) => (await services.apiTokens.create(org.id, name, 'admin')).token,
      createEnrollmentToken: (input = {}) =>
        services.enrollmentTokens.create(org.id, CreateEnrollmentTokenSchema.parse(input), url),
      close: async () => {
        await app.close();
        await db.close();
      },
    };
  } catch (error) {
    await db.close();
    throw error;
  }
}
