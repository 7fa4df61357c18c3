import type { Queryable } from '@fleetops/server';

/** Rows per INSERT … SELECT, so that no statement holds the whole load. */
const BATCH = 100_000;

/**
 * Gives 9 in 10 of the org's devices an owner, one user each, as an HR import would; the
 * others stay unowned, so their events carry no user.
 */
export async function seedOwners(db: Queryable, orgId: string): Promise<void> {
  await db.query(
    `INSERT INTO users (id, org_id, email, name, phone, external_id)
     SELECT gen_random_uuid(), $1, 'user' || n || '@example.com', 'User ' || n,
            '+3361' || lpad(n::text, 7, '0'), 'HR-' || n
     FROM generate_series(1, (SELECT ceil(count(*) * 0.9)::int FROM devices WHERE org_id = $1)) AS n`,
    [orgId],
  );
  await db.query(
    `UPDATE devices SET owner_id = owners.user_id
     FROM (SELECT d.id, u.id AS user_id
           FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM devices WHERE org_id = $1) d
           JOIN (SELECT id, row_number() OVER (ORDER BY id) AS n FROM users WHERE org_id = $1) u USING (n)) owners
     WHERE devices.id = owners.id`,
    [orgId],
  );
}

const ISO = `'YYYY-MM-DD"T"HH24:MI:SS"Z"'`;

/**
 * Event number g of the load, spread over the org's devices, in a realistic mix of categories
 * (location and app usage most, virus scans least) with each category's data shape
 * (AUDIT_EVENT_DATA). `a` and `b` are hashes of g: the same g always gives the same event.
 */
const INSERT_EVENTS = /* sql */ `
  WITH fleet AS (
    SELECT row_number() OVER (ORDER BY id) - 1 AS n, id, owner_id FROM devices WHERE org_id = $1
  ), numbered AS (
    SELECT g, hashint4(g) & 2147483647 AS a, hashint4(g # 1234567) & 2147483647 AS b,
           now() - make_interval(secs => ($3 - g) / 2.0) AS at
    FROM generate_series($2::int, $3::int) AS g
  ), typed AS (
    SELECT *, CASE
      WHEN a % 100 < 30 THEN 'location'
      WHEN a % 100 < 50 THEN 'appUsage'
      WHEN a % 100 < 65 THEN 'operationLogs'
      WHEN a % 100 < 77 THEN 'networkInfo'
      WHEN a % 100 < 85 THEN 'callLog'
      WHEN a % 100 < 93 THEN 'signInOut'
      WHEN a % 100 < 97 THEN 'screenshots'
      ELSE 'fileVirusScan' END AS category
    FROM numbered
  )
  INSERT INTO device_events
    (org_id, device_id, user_id, event_id, category, occurred_at, received_at, expires_at, data)
  SELECT $1, f.id, f.owner_id, gen_random_uuid(), t.category, t.at,
         t.at + make_interval(secs => t.b % 900), now() + interval '60 days',
    CASE t.category
      WHEN 'location' THEN jsonb_build_object(
        'latitude', round(48.8 + (t.b % 200000) / 1e6, 6),
        'longitude', round(2.25 + (t.b / 7 % 250000) / 1e6, 6),
        'accuracyMeters', CASE WHEN t.b % 10 = 0 THEN NULL ELSE 3 + t.b % 60 END,
        'source', (ARRAY['gps', 'wifi', 'cell'])[1 + t.b % 3])
      WHEN 'appUsage' THEN jsonb_build_object(
        'packageId', (ARRAY['com.whatsapp', 'com.google.android.gm', 'com.microsoft.teams',
          'com.android.chrome', 'com.slack', 'com.google.android.apps.maps', 'com.spotify.music',
          'com.android.settings'])[1 + t.b % 8],
        'foregroundSeconds', t.b % 3600,
        'periodStart', to_char(date_trunc('hour', t.at) AT TIME ZONE 'UTC', ${ISO}),
        'periodEnd', to_char((date_trunc('hour', t.at) + interval '1 hour') AT TIME ZONE 'UTC', ${ISO}))
      WHEN 'operationLogs' THEN jsonb_build_object(
        'action', (ARRAY['app.open', 'settings.change', 'client.start', 'policy.apply', 'app.install'])[1 + t.b % 5],
        'detail', CASE WHEN t.b % 3 = 0 THEN NULL ELSE 'changed ' ||
          (ARRAY['Wi-Fi', 'Bluetooth', 'display brightness', 'ringtone'])[1 + t.b % 4] || ' from the settings app' END)
      WHEN 'networkInfo' THEN jsonb_build_object(
        'networkType', (ARRAY['wifi', 'cellular', 'wifi', 'none'])[1 + t.b % 4],
        'ssid', CASE WHEN t.b % 4 IN (0, 2) THEN (ARRAY['Office-5G', 'Guest', 'Home-Box-4F2A'])[1 + t.b % 3] END,
        'ipAddress', CASE WHEN t.b % 4 <> 3 THEN '10.' || t.b % 256 || '.' || t.b / 256 % 256 || '.' || t.b / 65536 % 254 + 1 END,
        'carrier', CASE WHEN t.b % 4 = 1 THEN (ARRAY['Orange', 'SFR', 'Free', 'Bouygues'])[1 + t.b / 4 % 4] END)
      WHEN 'callLog' THEN jsonb_build_object(
        'direction', (ARRAY['incoming', 'outgoing', 'missed'])[1 + t.b % 3],
        'number', '+336' || lpad((t.b % 100000000)::text, 8, '0'),
        'durationSeconds', CASE WHEN t.b % 3 = 2 THEN 0 ELSE t.b % 1800 END)
      WHEN 'signInOut' THEN jsonb_build_object(
        'kind', (ARRAY['sign-in', 'sign-out'])[1 + t.b % 2],
        'method', (ARRAY['password', 'sso', 'biometric'])[1 + t.b % 3])
      WHEN 'screenshots' THEN jsonb_build_object(
        'sha256', encode(sha256(t.g::text::bytea), 'hex'),
        'width', 1080, 'height', 2400, 'sizeBytes', 200000 + t.b % 800000,
        'packageId', CASE WHEN t.b % 5 = 0 THEN NULL ELSE 'com.android.chrome' END)
      ELSE jsonb_build_object(
        'path', '/storage/emulated/0/Download/file-' || t.b % 10000 || '.apk',
        'sha256', encode(sha256(t.g::text::bytea), 'hex'),
        'verdict', CASE WHEN t.b % 40 = 0 THEN 'infected' WHEN t.b % 40 = 1 THEN 'suspicious' ELSE 'clean' END,
        'threat', CASE WHEN t.b % 40 = 0 THEN 'Android.Trojan.FakeApp' END,
        'engineVersion', '4.2.1')
    END
  FROM typed t JOIN fleet f ON f.n = t.g % (SELECT count(*) FROM fleet)
  ORDER BY t.g`;

/**
 * Writes events number `from + 1` to `to` of the org straight into device_events, set-based
 * (INSERT … SELECT generate_series), as if its devices had uploaded them over the last days.
 * They expire in 60 days, so no retention pass touches them during a run.
 */
export async function loadAuditEvents(db: Queryable, orgId: string, from: number, to: number): Promise<void> {
  for (let start = from; start < to; start += BATCH) {
    await db.query(INSERT_EVENTS, [orgId, start + 1, Math.min(start + BATCH, to)]);
  }
}
