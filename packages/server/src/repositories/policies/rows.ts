import type { PolicyDocument, PolicyRevision, PolicyVersion } from '@fleetops/protocol';
import { one, type Queryable } from '../../store/db';
import { iso } from '../../store/time';
import type { LivePolicy } from './plan';

export interface VersionRow {
  name: string;
  version: number;
  hash: string;
  document: PolicyDocument;
  author: string;
  message: string | null;
  revision: number;
  created_at: Date;
}

export interface RevisionRow {
  revision: number;
  source: PolicyRevision['source'];
  author: string;
  message: string | null;
  context: PolicyRevision['context'];
  created: string[];
  updated: string[];
  deleted: string[];
  rolled_back_to: number | null;
  created_at: Date;
}

export const toVersion = (row: VersionRow): PolicyVersion => ({
  name: row.name,
  version: row.version,
  hash: row.hash,
  document: row.document,
  author: row.author,
  message: row.message,
  revision: row.revision,
  createdAt: iso(row.created_at),
});

export const toRevision = (row: RevisionRow): PolicyRevision => ({
  revision: row.revision,
  source: row.source,
  author: row.author,
  message: row.message,
  context: row.context,
  createdAt: iso(row.created_at),
  created: row.created,
  updated: row.updated,
  deleted: row.deleted,
  rolledBackTo: row.rolled_back_to,
});

export const byName = (rows: LivePolicy[]): Map<string, LivePolicy> =>
  new Map(rows.map((row) => [row.name, row]));

/** The live revision of the org's policy set; 0 before any. */
export async function currentRevision(q: Queryable, orgId: string): Promise<number> {
  const row = await one<{ revision: number | null }>(
    q,
    'SELECT max(revision) AS revision FROM policy_revisions WHERE org_id = $1',
    [orgId],
  );
  return row?.revision ?? 0;
}

/** The last revision an apply made, if any: the "last applied" side of a plan. */
export async function lastAppliedRevision(q: Queryable, orgId: string): Promise<number | null> {
  const row = await one<{ revision: number | null }>(
    q,
    "SELECT max(revision) AS revision FROM policy_revisions WHERE org_id = $1 AND source = 'apply'",
    [orgId],
  );
  return row?.revision ?? null;
}

/** The current version of every live policy, by name. */
export async function liveVersions(q: Queryable, orgId: string, name?: string): Promise<VersionRow[]> {
  return q.query<VersionRow>(
    `SELECT v.* FROM live_policies l
     JOIN policy_versions v ON v.org_id = l.org_id AND v.name = l.name AND v.version = l.version
     WHERE l.org_id = $1 AND ($2::text IS NULL OR l.name = $2) ORDER BY l.name`,
    [orgId, name ?? null],
  );
}

/**
 * The policies as they were right after `revision`: for each name, its latest version made by then,
 * unless a later revision up to then deleted it.
 */
export async function versionsAt(q: Queryable, orgId: string, revision: number): Promise<VersionRow[]> {
  return q.query<VersionRow>(
    `WITH events AS (
       SELECT name, revision, version FROM policy_versions WHERE org_id = $1 AND revision <= $2
       UNION ALL
       SELECT unnest(deleted), revision, NULL FROM policy_revisions WHERE org_id = $1 AND revision <= $2
     ), latest AS (
       SELECT DISTINCT ON (name) name, version FROM events ORDER BY name, revision DESC
     )
     SELECT v.* FROM latest l JOIN policy_versions v ON v.org_id = $1 AND v.name = l.name AND v.version = l.version
     ORDER BY v.name`,
    [orgId, revision],
  );
}
