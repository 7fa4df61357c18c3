import type { Db } from './db';

interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Applied in order at start; a version, once released, never changes. */
export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'orgs, tokens, enrollment, devices, commands, idempotency keys',
    sql: /* sql */ `
      CREATE TABLE orgs (
        id uuid PRIMARY KEY,
        name text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE api_tokens (
        id uuid PRIMARY KEY,
        org_id uuid NOT NULL REFERENCES orgs (id),
        name text NOT NULL,
        role text NOT NULL CHECK (role IN ('viewer', 'auditor', 'operator', 'admin')),
        secret_hash text NOT NULL UNIQUE,
        prefix text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_used_at timestamptz,
        revoked_at timestamptz
      );
      CREATE INDEX api_tokens_org ON api_tokens (org_id, id);

      CREATE TABLE enrollment_tokens (
        id uuid PRIMARY KEY,
        org_id uuid NOT NULL REFERENCES orgs (id),
        group_name text NOT NULL,
        mode text NOT NULL CHECK (mode IN ('COPE', 'COBO', 'BYOD')),
        secret_hash text NOT NULL UNIQUE,
        prefix text NOT NULL,
        uses integer NOT NULL DEFAULT 0,
        max_uses integer,
        expires_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz
      );
      CREATE INDEX enrollment_tokens_org ON enrollment_tokens (org_id, id);

      CREATE TABLE devices (
        id uuid PRIMARY KEY,
        org_id uuid NOT NULL REFERENCES orgs (id),
        status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'retired')),
        group_name text NOT NULL,
        labels text[] NOT NULL DEFAULT '{}',
        mode text NOT NULL,
        enrollment_token_id uuid REFERENCES enrollment_tokens (id),
        enrollment_request_id uuid,
        credential_hash text NOT NULL UNIQUE,
        facts jsonb NOT NULL,
        os text GENERATED ALWAYS AS (facts ->> 'os') STORED,
        model text GENERATED ALWAYS AS (facts ->> 'model') STORED,
        serial text GENERATED ALWAYS AS (facts ->> 'serial') STORED,
        imei text GENERATED ALWAYS AS (facts ->> 'imei') STORED,
        state jsonb NOT NULL DEFAULT '{"locked": false}',
        consent jsonb NOT NULL DEFAULT '{"location": false, "files": false, "callLog": false, "appUsage": false}',
        app_count integer NOT NULL DEFAULT 0,
        enrolled_at timestamptz NOT NULL DEFAULT now(),
        last_seen_at timestamptz NOT NULL DEFAULT now(),
        retired_at timestamptz
      );
      CREATE INDEX devices_org ON devices (org_id, id);
      CREATE INDEX devices_org_group ON devices (org_id, group_name, id);
      CREATE INDEX devices_org_serial ON devices (org_id, serial);
      CREATE INDEX devices_labels ON devices USING gin (labels);
      CREATE UNIQUE INDEX devices_enrollment_request ON devices (enrollment_token_id, enrollment_request_id);

      CREATE TABLE device_apps (
        device_id uuid NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
        package_id text NOT NULL,
        name text NOT NULL,
        version text NOT NULL,
        installer text,
        PRIMARY KEY (device_id, package_id)
      );
      CREATE INDEX device_apps_package ON device_apps (package_id);

      CREATE TABLE commands (
        id uuid PRIMARY KEY,
        org_id uuid NOT NULL REFERENCES orgs (id),
        device_id uuid NOT NULL REFERENCES devices (id),
        type text NOT NULL,
        params jsonb NOT NULL DEFAULT '{}',
        status text NOT NULL DEFAULT 'queued'
          CHECK (status IN ('queued', 'delivered', 'acknowledged', 'succeeded', 'failed', 'expired', 'canceled')),
        error text,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        delivered_at timestamptz,
        delivery_count integer NOT NULL DEFAULT 0,
        acknowledged_at timestamptz,
        completed_at timestamptz,
        expires_at timestamptz NOT NULL
      );
      CREATE INDEX commands_device ON commands (org_id, device_id, id DESC);
      CREATE INDEX commands_open ON commands (device_id, id) WHERE status IN ('queued', 'delivered', 'acknowledged');
      CREATE INDEX commands_open_expiry ON commands (expires_at)
        WHERE status IN ('queued', 'delivered', 'acknowledged');

      CREATE TABLE idempotency_keys (
        org_id uuid NOT NULL REFERENCES orgs (id),
        key text NOT NULL,
        request_hash text NOT NULL,
        status integer,
        response jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (org_id, key)
      );
    `,
  },
  {
    version: 2,
    name: 'command catalogue: org command signing keys, command results, device restrictions',
    sql: /* sql */ `
      -- Each org's Ed25519 key pair signing its commands; orgs created before this get theirs on
      -- first use. The private key (PKCS#8 PEM) is stored unencrypted: it should move to a KMS or
      -- secret store, leaving a reference here.
      ALTER TABLE orgs ADD COLUMN command_signing_public_key text;
      ALTER TABLE orgs ADD COLUMN command_signing_private_key text;

      ALTER TABLE commands ADD COLUMN result jsonb;

      ALTER TABLE devices ALTER COLUMN state SET DEFAULT '{"locked": false, "restrictions": {"wifi": "on", "camera": "on", "bluetooth": "on", "nfc": "on", "calls": "on", "factoryReset": "on", "screenshots": "on", "forceGps": false}}';
      UPDATE devices
        SET state = jsonb_build_object('restrictions', '{"wifi": "on", "camera": "on", "bluetooth": "on", "nfc": "on", "calls": "on", "factoryReset": "on", "screenshots": "on", "forceGps": false}'::jsonb) || state
        WHERE state -> 'restrictions' IS NULL;
    `,
  },
  {
    version: 3,
    name: 'jobs: bulk commands with approval, delay, sequencing and safety settings; enrollment generations',
    sql: /* sql */ `
      ALTER TABLE orgs ADD COLUMN approval_threshold integer;
      ALTER TABLE orgs ADD COLUMN destructive_budget_per_hour integer;

      -- Which enrollment of the same hardware (serial) in the org a device row is, from 1.
      ALTER TABLE devices ADD COLUMN enrollment_generation integer NOT NULL DEFAULT 1;
      CREATE INDEX devices_org_imei ON devices (org_id, imei);

      CREATE TABLE jobs (
        id uuid PRIMARY KEY,
        org_id uuid NOT NULL REFERENCES orgs (id),
        type text NOT NULL,
        params jsonb NOT NULL DEFAULT '{}',
        status text NOT NULL
          CHECK (status IN ('awaiting_approval', 'scheduled', 'running', 'completed', 'canceled', 'expired')),
        reason text,
        selector text,
        target_count integer NOT NULL DEFAULT 0,
        unresolved jsonb NOT NULL DEFAULT '[]',
        ttl_seconds integer NOT NULL,
        created_by text NOT NULL,
        created_by_token uuid NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        requires_approval boolean NOT NULL DEFAULT false,
        approval_expires_at timestamptz,
        approved_by text,
        approved_at timestamptz,
        not_before timestamptz,
        after_job_id uuid REFERENCES jobs (id),
        canceled_by text,
        canceled_at timestamptz,
        completed_at timestamptz,
        idempotency_key text,
        UNIQUE (org_id, idempotency_key)
      );
      CREATE INDEX jobs_org ON jobs (org_id, id DESC);
      CREATE INDEX jobs_open ON jobs (status) WHERE status IN ('awaiting_approval', 'scheduled', 'running');

      ALTER TABLE commands ADD COLUMN job_id uuid REFERENCES jobs (id);
      ALTER TABLE commands ADD COLUMN enrollment_generation integer NOT NULL DEFAULT 1;
      -- 0 is delivered ahead of 1: lock and wipe go before any backlog of routine commands.
      ALTER TABLE commands ADD COLUMN priority smallint NOT NULL DEFAULT 1;
      ALTER TABLE commands ADD COLUMN after_command_id uuid;
      ALTER TABLE commands ADD COLUMN source_line integer;
      ALTER TABLE commands ADD COLUMN skip_reason text;
      ALTER TABLE commands DROP CONSTRAINT commands_status_check;
      ALTER TABLE commands ADD CONSTRAINT commands_status_check CHECK (status IN
        ('queued', 'delivered', 'acknowledged', 'succeeded', 'failed', 'expired', 'canceled', 'skipped'));
      CREATE INDEX commands_job ON commands (job_id, status) WHERE job_id IS NOT NULL;
      CREATE INDEX commands_after ON commands (after_command_id) WHERE after_command_id IS NOT NULL;
      CREATE INDEX commands_destructive_window ON commands (org_id, created_at)
        WHERE type IN ('wipe', 'retire') AND status <> 'skipped';
      -- At most one pending destructive command per device, whoever races to send one.
      CREATE UNIQUE INDEX commands_one_pending_destructive ON commands (device_id)
        WHERE type IN ('wipe', 'retire') AND status IN ('queued', 'delivered', 'acknowledged');
    `,
  },
  {
    version: 4,
    name: 'policies: versions, revisions of the policy set, the live set; the policy devices report',
    sql: /* sql */ `
      CREATE TABLE policy_revisions (
        org_id uuid NOT NULL REFERENCES orgs (id),
        revision integer NOT NULL,
        source text NOT NULL CHECK (source IN ('apply', 'rollback', 'edit')),
        author text NOT NULL,
        message text,
        context jsonb,
        created text[] NOT NULL DEFAULT '{}',
        updated text[] NOT NULL DEFAULT '{}',
        deleted text[] NOT NULL DEFAULT '{}',
        rolled_back_to integer,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (org_id, revision)
      );

      CREATE TABLE policy_versions (
        org_id uuid NOT NULL REFERENCES orgs (id),
        name text NOT NULL,
        version integer NOT NULL,
        hash text NOT NULL,
        document jsonb NOT NULL,
        author text NOT NULL,
        message text,
        revision integer NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (org_id, name, version),
        FOREIGN KEY (org_id, revision) REFERENCES policy_revisions (org_id, revision)
      );
      CREATE INDEX policy_versions_revision ON policy_versions (org_id, revision);

      -- The live set: one row per live policy, naming its current version; deleting a policy deletes its row.
      CREATE TABLE live_policies (
        org_id uuid NOT NULL,
        name text NOT NULL,
        version integer NOT NULL,
        PRIMARY KEY (org_id, name),
        FOREIGN KEY (org_id, name, version) REFERENCES policy_versions (org_id, name, version)
      );

      ALTER TABLE devices ADD COLUMN applied_policy_hash text;
      ALTER TABLE devices ADD COLUMN policy_failures jsonb NOT NULL DEFAULT '[]';
    `,
  },
  {
    version: 5,
    name: 'policy rollouts: released versions, rollouts with their waves and frozen devices',
    sql: /* sql */ `
      -- The version devices get; null for a policy created staged and not rolled out yet.
      ALTER TABLE live_policies ADD COLUMN released_version integer;
      UPDATE live_policies SET released_version = version;
      ALTER TABLE live_policies ADD FOREIGN KEY (org_id, name, released_version)
        REFERENCES policy_versions (org_id, name, version);

      CREATE TABLE rollouts (
        id uuid PRIMARY KEY,
        org_id uuid NOT NULL REFERENCES orgs (id),
        policy text NOT NULL,
        from_version integer,
        to_version integer NOT NULL,
        status text NOT NULL
          CHECK (status IN ('running', 'paused', 'halted', 'completed', 'aborted', 'rolled_back')),
        current_wave integer NOT NULL DEFAULT -1,
        halt_on_failure_percent double precision NOT NULL,
        pause_seconds integer NOT NULL,
        wave_timeout_seconds integer NOT NULL,
        next_wave_at timestamptz,
        halt_reason text,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX rollouts_policy ON rollouts (org_id, policy, id DESC);
      CREATE INDEX rollouts_org_updated ON rollouts (org_id, updated_at);
      CREATE INDEX rollouts_running ON rollouts (id) WHERE status = 'running';
      -- At most one unfinished rollout per policy, whoever races to start one.
      CREATE UNIQUE INDEX rollouts_one_active ON rollouts (org_id, policy)
        WHERE status IN ('running', 'paused', 'halted');

      CREATE TABLE rollout_waves (
        rollout_id uuid NOT NULL REFERENCES rollouts (id),
        wave integer NOT NULL,
        size text NOT NULL,
        released_at timestamptz,
        completed_at timestamptz,
        PRIMARY KEY (rollout_id, wave)
      );

      CREATE TABLE rollout_devices (
        rollout_id uuid NOT NULL REFERENCES rollouts (id),
        device_id uuid NOT NULL REFERENCES devices (id),
        wave integer NOT NULL,
        rank integer NOT NULL,
        PRIMARY KEY (rollout_id, device_id)
      );
      CREATE INDEX rollout_devices_device ON rollout_devices (device_id, rollout_id);
      CREATE INDEX rollout_devices_wave ON rollout_devices (rollout_id, wave);
    `,
  },
  {
    version: 6,
    name: 'audit and privacy: users, device events with drops, hash-chained admin activity',
    sql: /* sql */ `
      CREATE TABLE users (
        id uuid PRIMARY KEY,
        org_id uuid NOT NULL REFERENCES orgs (id),
        -- email, name, phone and external_id are null once the user's personal data was erased.
        email text,
        name text,
        phone text,
        external_id text,
        status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled', 'offboarded')),
        created_at timestamptz NOT NULL DEFAULT now(),
        disabled_at timestamptz,
        offboarded_at timestamptz,
        erased_at timestamptz
      );
      CREATE INDEX users_org ON users (org_id, id);
      CREATE UNIQUE INDEX users_org_email ON users (org_id, lower(email)) WHERE email IS NOT NULL;

      ALTER TABLE devices ADD COLUMN owner_id uuid REFERENCES users (id);
      CREATE INDEX devices_owner ON devices (owner_id) WHERE owner_id IS NOT NULL;

      -- Per category, e.g. {"location": "30d"}; a category not named keeps events 90 days.
      ALTER TABLE orgs ADD COLUMN retention jsonb NOT NULL DEFAULT '{}';
      ALTER TABLE orgs ADD COLUMN retention_action text NOT NULL DEFAULT 'anonymize'
        CHECK (retention_action IN ('delete', 'anonymize'));

      CREATE TABLE device_events (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        org_id uuid NOT NULL REFERENCES orgs (id),
        -- device_id and user_id are null once the event was anonymized.
        device_id uuid REFERENCES devices (id),
        user_id uuid REFERENCES users (id),
        event_id uuid NOT NULL,
        category text NOT NULL,
        occurred_at timestamptz NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        anonymized_at timestamptz,
        data jsonb NOT NULL
      );
      CREATE INDEX device_events_org ON device_events (org_id, id);
      CREATE INDEX device_events_device ON device_events (device_id, id);
      CREATE UNIQUE INDEX device_events_dedupe ON device_events (device_id, event_id);
      CREATE INDEX device_events_user ON device_events (user_id, id) WHERE user_id IS NOT NULL;
      CREATE INDEX device_events_expiry ON device_events (expires_at) WHERE anonymized_at IS NULL;

      -- Well-formed events not stored, counted per device, category and reason.
      CREATE TABLE device_event_drops (
        device_id uuid NOT NULL REFERENCES devices (id),
        category text NOT NULL,
        reason text NOT NULL CHECK (reason IN ('policy', 'consent')),
        count bigint NOT NULL,
        last_at timestamptz NOT NULL,
        PRIMARY KEY (device_id, category, reason)
      );

      -- Append-only, one hash chain per org: hash = sha256(prev_hash || canonical entry).
      CREATE TABLE activity_log (
        org_id uuid NOT NULL REFERENCES orgs (id),
        seq bigint NOT NULL,
        at timestamptz NOT NULL,
        token_id uuid NOT NULL,
        token_name text NOT NULL,
        role text NOT NULL,
        ip text,
        request_id text NOT NULL,
        action text NOT NULL,
        target_type text,
        target_id text,
        changes jsonb,
        context jsonb NOT NULL DEFAULT '{}',
        prev_hash text NOT NULL,
        hash text NOT NULL,
        PRIMARY KEY (org_id, seq)
      );
      CREATE INDEX activity_log_target ON activity_log (org_id, target_id, seq) WHERE target_id IS NOT NULL;
      CREATE INDEX activity_log_actor ON activity_log (org_id, token_name, seq);

      CREATE TABLE activity_checkpoints (
        org_id uuid NOT NULL REFERENCES orgs (id),
        number integer NOT NULL,
        seq bigint NOT NULL,
        hash text NOT NULL,
        at timestamptz NOT NULL,
        signature text NOT NULL,
        PRIMARY KEY (org_id, number)
      );
    `,
  },
  {
    version: 7,
    name: 'compliance: rule sets, scans with their results, current violations, events, remediations',
    sql: /* sql */ `
      ALTER TABLE device_apps ADD COLUMN certificate text;
      CREATE INDEX device_apps_certificate ON device_apps (certificate) WHERE certificate IS NOT NULL;
      -- The device's own scan of its apps (DeviceAppScan), as last reported at check-in.
      ALTER TABLE devices ADD COLUMN app_scan jsonb;

      -- A version as numbers, to compare: '17.4.1-beta2' -> {17,4,1,2}.
      CREATE FUNCTION fleetops_version_key(version text) RETURNS numeric[]
        LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
        AS $$ SELECT coalesce(array_agg(m[1]::numeric ORDER BY n), '{}')
              FROM regexp_matches(version, '[0-9]{1,30}', 'g') WITH ORDINALITY AS t(m, n) $$;

      -- One rule set per org, replaced as a whole by an apply.
      CREATE TABLE compliance_rule_sets (
        org_id uuid PRIMARY KEY REFERENCES orgs (id),
        revision integer NOT NULL,
        rules jsonb NOT NULL,
        updated_at timestamptz NOT NULL
      );

      CREATE TABLE compliance_scans (
        id uuid PRIMARY KEY,
        org_id uuid NOT NULL REFERENCES orgs (id),
        started_at timestamptz NOT NULL,
        finished_at timestamptz NOT NULL,
        selector text,
        rules_revision integer NOT NULL,
        device_count integer NOT NULL,
        noncompliant_count integer NOT NULL,
        violation_count integer NOT NULL,
        devices_by_severity jsonb NOT NULL,
        by_rule jsonb NOT NULL,
        by_group jsonb NOT NULL
      );
      CREATE INDEX compliance_scans_org ON compliance_scans (org_id, started_at DESC);

      -- What one scan found: one row per device and broken rule.
      CREATE TABLE compliance_results (
        scan_id uuid NOT NULL REFERENCES compliance_scans (id) ON DELETE CASCADE,
        device_id uuid NOT NULL REFERENCES devices (id),
        rule text NOT NULL,
        severity text NOT NULL,
        severity_rank smallint NOT NULL,
        evidence jsonb NOT NULL,
        since timestamptz NOT NULL,
        PRIMARY KEY (scan_id, device_id, rule)
      );
      CREATE INDEX compliance_results_order ON compliance_results (scan_id, severity_rank DESC, device_id, rule);

      -- The violations standing now, from the last scan or check-in that evaluated the device.
      CREATE TABLE compliance_violations (
        org_id uuid NOT NULL REFERENCES orgs (id),
        device_id uuid NOT NULL REFERENCES devices (id),
        rule text NOT NULL,
        severity text NOT NULL,
        evidence jsonb NOT NULL,
        since timestamptz NOT NULL,
        PRIMARY KEY (device_id, rule)
      );
      CREATE INDEX compliance_violations_org ON compliance_violations (org_id, rule, since);

      CREATE TABLE compliance_events (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        org_id uuid NOT NULL REFERENCES orgs (id),
        type text NOT NULL CHECK (type IN ('device.noncompliant', 'device.compliant')),
        at timestamptz NOT NULL,
        device_id uuid NOT NULL REFERENCES devices (id),
        rule text NOT NULL,
        severity text NOT NULL,
        source text NOT NULL CHECK (source IN ('scan', 'check-in')),
        evidence jsonb NOT NULL
      );
      CREATE INDEX compliance_events_org ON compliance_events (org_id, id);

      -- A remediation step taken for one violation (device, rule, since): never taken twice. A
      -- remove-app step is taken per app (package_id); the other steps have package_id ''.
      CREATE TABLE compliance_remediations (
        org_id uuid NOT NULL REFERENCES orgs (id),
        device_id uuid NOT NULL REFERENCES devices (id),
        rule text NOT NULL,
        action text NOT NULL,
        package_id text NOT NULL DEFAULT '',
        since timestamptz NOT NULL,
        job_id uuid NOT NULL REFERENCES jobs (id),
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (device_id, rule, action, since, package_id)
      );
    `,
  },
];

/** Brings the schema up to date, one transaction per migration; safe with several replicas starting at once. */
export async function migrate(db: Db): Promise<number[]> {
  await db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
  const applied: number[] = [];
  for (const migration of migrations) {
    const done = await db.transaction(async (tx) => {
      // Serialises concurrent starts on a shared PostgreSQL; released at commit.
      await tx.query('SELECT pg_advisory_xact_lock(7412001)');
      const existing = await tx.query('SELECT 1 FROM schema_migrations WHERE version = $1', [
        migration.version,
      ]);
      if (existing.length > 0) return false;
      for (const statement of splitStatements(migration.sql)) await tx.query(statement);
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
        migration.version,
        migration.name,
      ]);
      return true;
    });
    if (done) applied.push(migration.version);
  }
  return applied;
}

/** Migrations hold no functions or quoted semicolons, so statements split on `;` at line ends. */
function splitStatements(sql: string): string[] {
  return sql
    .split(/;\s*$/m)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}
