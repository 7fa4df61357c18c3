import { type ClientRequest, get } from 'node:http';
import { type DeviceEvent, EXPORT_CSV_COLUMNS } from '@fleetops/protocol';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { UPLOADS_LOCK } from '../src/repositories/events/visible';
import { COPY_CONNECTIONS } from '../src/store/copy-lines';
import { auditApi, event, oneOfEach } from './audit-fixtures';
import { describeStores, type TestOrg } from './harness';

/** A CSV export's rows as the events they stand for. */
function fromCsv(text: string, header = true): DeviceEvent[] {
  const rows: string[][] = parse(text);
  if (header) expect(rows.shift()).toEqual([...EXPORT_CSV_COLUMNS]);
  return rows.map(
    ([id, eventId, deviceId, userId, category, occurredAt, receivedAt, anonymized, data]) =>
      ({
        id,
        eventId,
        deviceId: deviceId || null,
        userId: userId || null,
        category,
        occurredAt,
        receivedAt,
        anonymized: anonymized === 'true',
        data: JSON.parse(data!),
      }) as DeviceEvent,
  );
}

/** Starts a download, and closes the connection once its first bytes came. */
function walkAway(url: string, token: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = get(url, { headers: { authorization: `Bearer ${token}` } }, (response) => {
      if (response.statusCode !== 200) reject(new Error(`export answered ${response.statusCode}`));
      response.once('data', () => {
        request.destroy();
        resolve();
      });
    });
    request.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'ECONNRESET') reject(error);
    });
  });
}

/** Starts a download and reads nothing of it: the server's side stays in the middle of it. */
function stall(url: string, token: string): Promise<ClientRequest> {
  return new Promise((resolve, reject) => {
    const request = get(url, { headers: { authorization: `Bearer ${token}` } }, (response) => {
      if (response.statusCode !== 200) reject(new Error(`export answered ${response.statusCode}`));
      response.pause();
      resolve(request);
    });
    request.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'ECONNRESET') reject(error);
    });
  });
}

const fromNdjson = (text: string): DeviceEvent[] =>
  text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line));

describeStores('device audit event export', (server) => {
  const audit = auditApi(server);
  const exportText = async (org: TestOrg, query: string) => {
    const response = await server.api(org.tokens.auditor, `/v1/audit/events/export?${query}`);
    expect(response.status).toBe(200);
    return { text: await response.text(), type: response.headers.get('content-type') };
  };

  describe('of a few events of every category', () => {
    let org: TestOrg;
    let stored: DeviceEvent[];
    beforeAll(async () => {
      const created = await audit.orgWithDevice();
      org = created.org;
      await audit.uploadOk(created.device, [...oneOfEach(), ...oneOfEach()]);
      await audit.uploadOk(created.device, [
        event('callLog', { number: null }),
        event('networkInfo', { ssid: null }),
      ]);
      stored = await audit.listAll(org);
      expect(stored).toHaveLength(18);
    });

    it('writes NDJSON, CSV and a JSON array that read back as exactly the stored events', async () => {
      const ndjson = await exportText(org, 'format=ndjson');
      expect(ndjson.type).toBe('application/x-ndjson');
      expect(ndjson.text.endsWith('\n')).toBe(true);
      for (const line of ndjson.text.trimEnd().split('\n')) expect(line).toMatch(/^\{"id":"\d+",/);
      expect(fromNdjson(ndjson.text)).toEqual(stored);

      const csv = await exportText(org, 'format=csv');
      expect(csv.type).toBe('text/csv; charset=utf-8');
      expect(fromCsv(csv.text)).toEqual(stored);

      const json = await exportText(org, 'format=json');
      expect(json.type).toBe('application/json');
      expect(json.text.startsWith('[{"id":')).toBe(true);
      expect(json.text).toContain('},\n{"id":');
      expect(JSON.parse(json.text)).toEqual(stored);

      expect(fromNdjson((await exportText(org, '')).text)).toEqual(stored);
    });

    it('exports only the events that pass the filters, and an empty export in each format', async () => {
      const { text } = await exportText(org, 'format=ndjson&category=location,callLog');
      expect(fromNdjson(text)).toEqual(
        stored.filter((e) => e.category === 'location' || e.category === 'callLog'),
      );
      const none = 'since=2100-01-01T00:00:00Z';
      expect((await exportText(org, `format=ndjson&${none}`)).text).toBe('');
      expect((await exportText(org, `format=csv&${none}`)).text).toBe(`${EXPORT_CSV_COLUMNS.join(',')}\n`);
      expect(JSON.parse((await exportText(org, `format=json&${none}`)).text)).toEqual([]);
      const bad = await server.api(org.tokens.auditor, '/v1/audit/events/export?format=xml');
      expect(bad.status).toBe(400);
      expect((await server.api(org.tokens.viewer, '/v1/audit/events/export')).status).toBe(403);
    });

    it('masks what docs/audit.md says when asked to redact, in every format', async () => {
      const redacted = fromNdjson((await exportText(org, 'format=ndjson&redact=true')).text);
      expect(JSON.parse((await exportText(org, 'format=json&redact=1')).text)).toEqual(redacted);
      expect(fromCsv((await exportText(org, 'format=csv&redact=true')).text)).toEqual(redacted);
      expect(redacted.map(({ data, ...rest }) => rest)).toEqual(stored.map(({ data, ...rest }) => rest));

      const dataOf = (category: string) => redacted.filter((e) => e.category === category).map((e) => e.data);
      expect(dataOf('location')[0]).toEqual({
        latitude: 48.86,
        longitude: 2.35,
        accuracyMeters: null,
        source: 'gps',
      });
      expect(dataOf('callLog').map((d) => (d as { number: string | null }).number)).toEqual([
        '+*********00',
        '+*********00',
        null,
      ]);
      expect(dataOf('networkInfo')).toEqual([
        { networkType: 'wifi', ssid: '***', ipAddress: '***', carrier: null },
        { networkType: 'wifi', ssid: '***', ipAddress: '***', carrier: null },
        { networkType: 'wifi', ssid: null, ipAddress: '***', carrier: null },
      ]);
      expect(dataOf('fileVirusScan')[0]).toMatchObject({ path: '***', threat: 'Android.Trojan.Agent' });
      expect(dataOf('operationLogs')[0]).toEqual({
        action: 'settings.change',
        detail: 'wifi changed by a***@example.com from +*****00 on *****3809',
      });
      for (const category of ['appUsage', 'screenshots', 'signInOut']) {
        expect(dataOf(category)).toEqual(stored.filter((e) => e.category === category).map((e) => e.data));
      }
    });
  });

  it('resumes after any event exactly where an uninterrupted export went on, in NDJSON and CSV', async () => {
    const { org, device } = await audit.orgWithDevice();
    // More events than one read of the embedded store (2,000), so resuming crosses batches.
    for (let batch = 0; batch < 3; batch++) {
      const events = Array.from({ length: batch === 2 ? 500 : 1000 }, (_, i) =>
        i % 3 === 0 ? event('callLog') : i % 3 === 1 ? event('operationLogs') : event('fileVirusScan'),
      );
      await audit.uploadOk(device, events);
    }
    const full = {
      ndjson: (await exportText(org, 'format=ndjson')).text,
      csv: (await exportText(org, 'format=csv')).text,
    };
    const lines = full.ndjson.split('\n').slice(0, -1);
    expect(lines).toHaveLength(2500);
    const ids = lines.map((line) => (JSON.parse(line) as DeviceEvent).id);

    for (const cut of [1, 777, 1999, 2000, 2001, 2499]) {
      const after = ids[cut - 1]!;
      const received = `${lines.slice(0, cut).join('\n')}\n`;
      const rest = (await exportText(org, `format=ndjson&after=${after}`)).text;
      expect(received + rest).toBe(full.ndjson);

      const csvLines = full.csv.split('\n');
      const csvReceived = `${csvLines.slice(0, cut + 1).join('\n')}\n`;
      const csvRest = (await exportText(org, `format=csv&after=${after}`)).text;
      expect(csvReceived + csvRest).toBe(full.csv);
    }
    expect((await exportText(org, `format=ndjson&after=${ids[2499]}`)).text).toBe('');
    expect(fromCsv(full.csv)).toEqual(fromNdjson(full.ndjson));
    expect(JSON.parse((await exportText(org, 'format=json')).text)).toEqual(fromNdjson(full.ndjson));
  });

  it('lets a client walk away from a large export many times over, and serves the next one whole', async () => {
    const { org, device } = await audit.orgWithDevice();
    const detail = 'x'.repeat(1000);
    for (let batch = 0; batch < 3; batch++) {
      await audit.uploadOk(
        device,
        Array.from({ length: 1000 }, () => event('operationLogs', { detail })),
      );
    }
    // More walk-aways than the server has database connections (10).
    for (let i = 0; i < 12; i++)
      await walkAway(`${server.url}/v1/audit/events/export?format=csv`, org.tokens.auditor);
    const { text } = await exportText(org, 'format=ndjson');
    expect(fromNdjson(text)).toHaveLength(3000);
  });

  it('tells a client to come back later while slow readers hold every export connection', async (test) => {
    if (server.db.dialect !== 'postgres') test.skip();
    const { org, device } = await audit.orgWithDevice();
    // Far more than socket buffers hold: an export nobody reads stays running.
    await server.db.query(
      `INSERT INTO device_events (org_id, device_id, event_id, category, occurred_at, expires_at, data)
       SELECT $1, $2, gen_random_uuid(), 'operationLogs', now(), now() + interval '1 day',
         jsonb_build_object('action', 'bulk', 'detail', repeat('x', 1000))
       FROM generate_series(1, 40000)`,
      [org.id, device.deviceId],
    );
    const url = `${server.url}/v1/audit/events/export?format=ndjson`;
    const slow = await Promise.all(
      Array.from({ length: COPY_CONNECTIONS }, () => stall(url, org.tokens.auditor)),
    );
    try {
      const refused = await server.api(org.tokens.auditor, '/v1/audit/events/export?format=csv');
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
      expect(refused.headers.get('x-should-retry')).toBe('true');
      expect((await refused.json()).error).toMatchObject({
        code: 'unavailable',
        message: 'too many exports are running: retry in a few seconds',
      });
      // The rest of the API has its own connections.
      expect((await server.api(org.tokens.auditor, '/v1/audit/events?limit=1')).status).toBe(200);
    } finally {
      for (const request of slow) request.destroy();
    }
    expect((await exportText(org, 'format=ndjson&category=location')).text).toBe('');
  });

  it('never skips an upload that commits after a later one: resuming after the last id finds it', async (test) => {
    if (server.db.dialect !== 'postgres') test.skip();
    const { org, device } = await audit.orgWithDevice();
    const principal = (await server.services.devices.authenticate(device.credential))!;
    const late = event('callLog');
    const early = event('location');

    // An upload under way: its event has taken its id, but is not committed yet.
    let commit!: () => void;
    const committing = new Promise<void>((resolve) => {
      commit = resolve;
    });
    let inserted!: () => void;
    const insertion = new Promise<void>((resolve) => {
      inserted = resolve;
    });
    const held = server.db.transaction(async () => {
      await server.services.events.upload(principal, [late]);
      inserted();
      await committing;
    });
    await Promise.race([insertion, held]);
    // Another upload takes a higher id and commits first.
    await audit.uploadOk(device, [early]);

    let settled = 0;
    const done = <T>(promise: Promise<T>) => {
      promise.then(
        () => settled++,
        () => settled++,
      );
      return promise;
    };
    const listing = done(server.api(org.tokens.auditor, '/v1/audit/events?limit=100').then((r) => r.json()));
    const exporting = done(exportText(org, 'format=ndjson'));
    const waiting = () =>
      server.db.query(
        `SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND objsubid = 2
           AND classid = $1 AND objid = (hashtext($2)::bigint & 4294967295)::oid`,
        [UPLOADS_LOCK, org.id],
      );
    try {
      while (settled < 2 && (await waiting()).length < 2) await new Promise((r) => setTimeout(r, 20));
    } finally {
      commit();
      await held;
    }

    const everything = [late.eventId, early.eventId].sort();
    const resumedAfter = async (read: DeviceEvent[]) => {
      const rest = fromNdjson((await exportText(org, `format=ndjson&after=${read.at(-1)!.id}`)).text);
      return [...read, ...rest].map((e) => e.eventId).sort();
    };
    expect(await resumedAfter((await listing).data)).toEqual(everything);
    expect(await resumedAfter(fromNdjson((await exporting).text))).toEqual(everything);
  });

  it('lists the export in the OpenAPI document with its media types', async () => {
    const doc = await (await fetch(`${server.url}/v1/openapi.json`)).json();
    const ok = doc.paths['/v1/audit/events/export'].get.responses['200'];
    expect(Object.keys(ok.content).sort()).toEqual([
      'application/json',
      'application/x-ndjson',
      'text/csv; charset=utf-8',
    ]);
    expect(doc.paths['/device/v1/events'].post).toBeDefined();
  });
});
