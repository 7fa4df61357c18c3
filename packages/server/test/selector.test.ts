import { beforeAll, describe, expect, it } from 'vitest';
import { describeStores, deviceApi, enroll, type TestOrg } from './harness';

describeStores('device selectors', (server) => {
  let org: TestOrg;
  /** Device letter by id, and id by letter, for readable expectations. */
  const letterOf = new Map<string, string>();
  const idOf: Record<string, string> = {};

  const list = (token: string, query: string) => server.api(token, `/v1/devices?${query}`);
  const letters = async (query: string) => {
    const response = await list(org.tokens.viewer, query);
    const body = await response.json();
    if (response.status !== 200) throw new Error(`${query}: ${response.status} ${JSON.stringify(body)}`);
    return body.data.map((d: { id: string }) => letterOf.get(d.id) ?? `other org: ${d.id}`).join(' ');
  };
  const where = (selector: string) => letters(`where=${encodeURIComponent(selector)}`);
  const sql = (text: string, params: unknown[]) => server.db.query(text, params);

  beforeAll(async () => {
    org = await server.newOrg();
    const fleet = {
      A: { group: 'sales', facts: { osVersion: '14' } },
      B: {
        group: 'sales',
        facts: {
          os: 'ios',
          osVersion: '17.4.1',
          model: 'iPhone 15',
          brand: 'Apple',
          imei: null,
          androidId: null,
        },
      },
      C: { group: 'ops', facts: { osVersion: '12', model: 'Galaxy S23', brand: 'Samsung' } },
      D: { group: 'ops', facts: { osVersion: '13.0', model: 'Galaxy S23 Ultra', brand: 'Samsung' } },
      E: {
        group: 'field',
        facts: { osVersion: 'Tiramisu', model: 'galaxy s23', brand: 'samsung', serial: 'R58T123' },
      },
    } as const;
    const credentials: Record<string, string> = {};
    for (const [letter, { group, facts }] of Object.entries(fleet)) {
      const device = await enroll(server, await org.enrollmentToken({ group }), facts);
      letterOf.set(device.deviceId, letter);
      idOf[letter] = device.deviceId;
      credentials[letter] = device.credential;
    }
    const label = (letter: string, labels: string[]) =>
      server.api(org.tokens.operator, `/v1/devices/${idOf[letter]}`, {
        method: 'PATCH',
        body: { addLabels: labels },
      });
    await label('A', ['lost']);
    await label('C', ['stolen', 'kiosk']);
    await deviceApi(server, credentials.B!, '/device/v1/checkin', { state: { locked: true } });
    await server.api(org.tokens.admin, `/v1/devices/${idOf.D}/retire`, { method: 'POST', body: {} });
    await sql("UPDATE devices SET mode = 'BYOD' WHERE id = $1", [idOf.C]);
    await sql("UPDATE devices SET last_seen_at = now() - interval '20 days' WHERE id = $1", [idOf.A]);
    await sql("UPDATE devices SET last_seen_at = now() - interval '2 hours' WHERE id = $1", [idOf.C]);
    const enrolled = { A: '2025-06-01T12:00:00Z', B: '2026-01-01T00:00:00Z', C: '2026-02-15T08:00:00Z' };
    for (const [letter, at] of Object.entries({
      ...enrolled,
      D: '2026-03-01T00:00:00Z',
      E: '2026-03-01T23:59:59Z',
    })) {
      await sql('UPDATE devices SET enrolled_at = $2 WHERE id = $1', [idOf[letter], at]);
    }
  });

  // Active devices: A (sales, android 14, lost, seen 20 days ago), B (sales, iOS 17.4.1, locked, no
  // IMEI), C (ops, android 12, BYOD, stolen + kiosk, seen 2 hours ago), E (field, osVersion
  // "Tiramisu", serial R58T123). D (ops, android 13.0) is retired.
  it.each([
    ['os = ios', 'B'],
    ['os != ios', 'A C E'],
    ['os in (IOS, android)', 'A B C E'],
    ['os not in (ios)', 'A C E'],
    ['osVersion < 13', 'C'],
    ['osVersion >= 14', 'A B'],
    ['osVersion = 14.0', 'A'],
    ['osVersion > 17.4', 'B'],
    ['osVersion <= 17.4.1 and osVersion > 17.4.0', 'B'],
    ['osVersion in (12, 14.0.0)', 'A C'],
    ['osVersion != 14', 'B C E'],
    ['not osVersion < 13', 'A B E'],
    ['model = "galaxy s23"', 'C E'],
    ['model = "GALAXY S23" and brand = Samsung', 'C E'],
    ['model in ("Pixel 8", "iPhone 15")', 'A B'],
    ['brand != samsung', 'A B'],
    ['serial = R58T123', 'E'],
    ['serial = r58t123', ''],
    ['serial != R58T123', 'A B C'],
    ['imei = 356938035643809', 'A C E'],
    ['imei != 356938035643809', 'B'],
    ['group = sales', 'A B'],
    ['group in (ops, field)', 'C E'],
    ['group not in (ops, field)', 'A B'],
    ['label = lost', 'A'],
    ['label in (lost, stolen)', 'A C'],
    ['label != kiosk', 'A B E'],
    ['label not in (lost, stolen)', 'B E'],
    ['mode = BYOD', 'C'],
    ['mode != byod', 'A B E'],
    ['locked', 'B'],
    ['not locked', 'A C E'],
    ['locked = false', 'A C E'],
    ['locked != true', 'A C E'],
    ['lastSeen > 14d', 'A'],
    ['lastSeen < 1h', 'B E'],
    ['lastSeen >= 1h and lastSeen <= 14d', 'C'],
    ['lastSeen > 19d and lastSeen < 21d', 'A'],
    ['enrolledAt < 2026-01-01', 'A'],
    ['enrolledAt <= 2026-01-01', 'A B'],
    ['enrolledAt > 2026-02-15', 'E'],
    ['enrolledAt >= 2026-03-01', 'E'],
    ['enrolledAt < 2026-01-01T00:00:01Z', 'A B'],
    ['enrolledAt > 2026-01-01T01:00:00+02:00', 'B C E'],
    ['enrolledAt > 1d', 'A B C E'],
    ['status = retired', 'D'],
    ['status in (active, retired) and group = ops', 'C D'],
    ['group = sales and lastSeen > 14d', 'A'],
    ['label in (lost, stolen) or not locked', 'A C E'],
    ['os = android and not (label = lost or mode = BYOD)', 'E'],
    ['group = ops or group = field and locked', 'C'],
    ['(group = ops or group = field) and not locked', 'C E'],
  ])('%s', async (selector, expected) => {
    expect(await where(selector)).toBe(expected);
  });

  it('combines the selector with the other filters', async () => {
    expect(await letters(`group=sales&where=${encodeURIComponent('not locked')}`)).toBe('A');
    expect(await letters(`os=android&where=${encodeURIComponent('group != sales')}`)).toBe('C E');
    expect(await letters(`status=all&where=${encodeURIComponent('group = ops')}`)).toBe('C D');
    expect(await letters(`status=retired&where=${encodeURIComponent('os = android')}`)).toBe('D');
    expect(await letters(`status=active&where=${encodeURIComponent('status = retired')}`)).toBe('');
  });

  it('takes values as data, never as SQL', async () => {
    expect(await where(`model = "x' OR '1'='1"`)).toBe('');
    expect(await where(`serial = "R58T123\\" or 1=1 --"`)).toBe('');
    expect(await where(`brand in ("x'); DROP TABLE devices; --", Google)`)).toBe('A');
    expect(await where('group = sales')).toBe('A B');
  });

  it('answers 400 pointing at the column of a mistake', async () => {
    const response = await list(
      org.tokens.viewer,
      `where=${encodeURIComponent('group = sales and lastSeen > soon')}`,
    );
    expect(response.status).toBe(400);
    const { error } = await response.json();
    const message =
      '"soon" is not a duration or a date at column 30 (e.g. 14d, 12h, 2026-01-01, 2026-01-01T09:00:00Z)';
    expect(error).toMatchObject({
      code: 'validation_failed',
      message,
      details: {
        issues: [{ path: 'query.where', message }],
        column: 30,
        expected: ['a duration', 'a date', 'an RFC 3339 time'],
      },
    });

    const unknown = await (await list(org.tokens.viewer, 'where=grup%3Dsales')).json();
    expect(unknown.error.message).toMatch(/^unknown field "grup" at column 1 \(.*did you mean "group"\?\)$/);
    expect(unknown.error.details.column).toBe(1);

    const empty = await (await list(org.tokens.viewer, 'where=')).json();
    expect(empty.error.message).toBe(
      "selector error at column 1: expected a field, 'not' or '(', found end of input",
    );

    const tooLong = await list(org.tokens.viewer, `where=${'locked or '.repeat(250)}locked`);
    expect(tooLong.status).toBe(400);
    expect((await tooLong.json()).error.message).toMatch(/^invalid query\.where/);
  });

  it('documents where in the OpenAPI document', async () => {
    const doc = await (await fetch(`${server.url}/v1/openapi.json`)).json();
    const param = doc.paths['/v1/devices'].get.parameters.find((p: { name: string }) => p.name === 'where');
    expect(param.description).toContain('group = sales and lastSeen > 14d');
  });

  describe('with pagination', () => {
    it('pages through exactly the matching devices', async () => {
      const big = await server.newOrg('paged');
      const token = await big.enrollmentToken({ group: 'fleet' });
      const matching: string[] = [];
      for (let i = 0; i < 23; i++) {
        const { deviceId } = await enroll(server, token, i % 3 === 0 ? { os: 'ios', androidId: null } : {});
        if (i % 2 === 0) {
          await server.api(big.tokens.operator, `/v1/devices/${deviceId}`, {
            method: 'PATCH',
            body: { addLabels: ['batch'] },
          });
          if (i % 3 !== 0) matching.push(deviceId);
        }
      }
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const query: string = `group=fleet&limit=2&where=${encodeURIComponent('label = batch and os = android')}${
          cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''
        }`;
        const page = await (await list(big.tokens.viewer, query)).json();
        seen.push(...page.data.map((d: { id: string }) => d.id));
        cursor = page.nextCursor;
        pages += 1;
      } while (cursor);
      expect(seen).toEqual(matching);
      expect(pages).toBe(Math.ceil(matching.length / 2));
    });
  });

  describe('across orgs', () => {
    it("never matches another org's device", async () => {
      const other = await server.newOrg('other');
      const { deviceId } = await enroll(server, await other.enrollmentToken({ group: 'sales' }), {
        serial: 'OTHER-ORG-1',
      });
      const everything = 'os = android or os = ios or not locked or status = retired or label != x';
      expect(await where(everything)).toBe('A B C D E');
      expect(await where('serial = OTHER-ORG-1')).toBe('');
      const theirs = await (
        await list(other.tokens.viewer, `where=${encodeURIComponent(everything)}`)
      ).json();
      expect(theirs.data.map((d: { id: string }) => d.id)).toEqual([deviceId]);
    });
  });
});
