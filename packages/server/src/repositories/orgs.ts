import { createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import {
  exportCommandSigningKey,
  type Org,
  type OrgSettings,
  type PatchOrgSettingsRequest,
} from '@fleetops/protocol';
import { one, type Queryable } from '../store/db';
import { uuidv7 } from '../store/ids';
import { iso } from '../store/time';

interface OrgRow {
  id: string;
  name: string;
  created_at: Date;
}

/** An org's Ed25519 key pair that signs every command it sends to its devices. */
export interface CommandSigningKeyPair {
  /** Wire form, given to devices at enrollment: base64 of the raw 32-byte public key. */
  publicKey: string;
  privateKey: KeyObject;
}

/**
 * A new key pair; the private key as PKCS#8 PEM for the database.
 * The private key is stored in the database unencrypted: it should move to a KMS or secret
 * store, leaving only a reference in the row.
 */
function newSigningKeyPair(): { publicKey: string; privateKeyPem: string } {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return {
    publicKey: exportCommandSigningKey(publicKey),
    privateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
  };
}

const ORG_COLUMNS = 'id, name, created_at';

const toOrg = (row: OrgRow): Org => ({ id: row.id, name: row.name, createdAt: iso(row.created_at) });

export function createOrgsRepository(db: Queryable) {
  // Keys never change once created, so each one is read from the database once.
  const signingKeys = new Map<string, CommandSigningKeyPair>();

  return {
    async create(name: string, q: Queryable = db): Promise<Org> {
      const keys = newSigningKeyPair();
      const row = await one<OrgRow>(
        q,
        `INSERT INTO orgs (id, name, command_signing_public_key, command_signing_private_key)
         VALUES ($1, $2, $3, $4) RETURNING ${ORG_COLUMNS}`,
        [uuidv7(), name, keys.publicKey, keys.privateKeyPem],
      );
      return toOrg(row!);
    },
    async get(id: string): Promise<Org | undefined> {
      const row = await one<OrgRow>(db, `SELECT ${ORG_COLUMNS} FROM orgs WHERE id = $1`, [id]);
      return row && toOrg(row);
    },
    /** The org created first: the one a fresh server bootstraps. */
    async first(): Promise<Org | undefined> {
      const row = await one<OrgRow>(db, `SELECT ${ORG_COLUMNS} FROM orgs ORDER BY id LIMIT 1`);
      return row && toOrg(row);
    },

    /** The org's settings: safety (approval threshold, destructive budget) and event retention. */
    async settings(orgId: string, q: Queryable = db): Promise<OrgSettings> {
      const row = await one<{
        approval_threshold: number | null;
        destructive_budget_per_hour: number | null;
        retention: OrgSettings['retention'];
        retention_action: OrgSettings['retentionAction'];
      }>(
        q,
        `SELECT approval_threshold, destructive_budget_per_hour, retention, retention_action
         FROM orgs WHERE id = $1`,
        [orgId],
      );
      if (!row) throw new Error(`org ${orgId} not found`);
      return {
        approvalThreshold: row.approval_threshold,
        destructiveBudgetPerHour: row.destructive_budget_per_hour,
        retention: row.retention,
        retentionAction: row.retention_action,
      };
    },

    /** Changes the settings given; a null turns one off, a retention replaces the whole map. */
    async updateSettings(orgId: string, patch: PatchOrgSettingsRequest): Promise<OrgSettings> {
      await db.query(
        `UPDATE orgs SET
           approval_threshold = CASE WHEN $2 THEN $3::int ELSE approval_threshold END,
           destructive_budget_per_hour = CASE WHEN $4 THEN $5::int ELSE destructive_budget_per_hour END,
           retention = coalesce($6::jsonb, retention),
           retention_action = coalesce($7, retention_action)
         WHERE id = $1`,
        [
          orgId,
          patch.approvalThreshold !== undefined,
          patch.approvalThreshold ?? null,
          patch.destructiveBudgetPerHour !== undefined,
          patch.destructiveBudgetPerHour ?? null,
          patch.retention === undefined ? null : JSON.stringify(patch.retention),
          patch.retentionAction ?? null,
        ],
      );
      return this.settings(orgId);
    },

    /**
     * The org's command signing key pair. An org created before keys existed gets one now; when
     * several servers race to do so, the first one written wins and all of them use it.
     */
    async commandSigningKey(orgId: string): Promise<CommandSigningKeyPair> {
      const cached = signingKeys.get(orgId);
      if (cached) return cached;
      type KeyRow = { public_key: string | null; private_key: string | null };
      let row = await one<KeyRow>(
        db,
        `SELECT command_signing_public_key AS public_key, command_signing_private_key AS private_key
         FROM orgs WHERE id = $1`,
        [orgId],
      );
      if (!row) throw new Error(`org ${orgId} not found`);
      if (!row.public_key || !row.private_key) {
        const fresh = newSigningKeyPair();
        row = await one<KeyRow>(
          db,
          `UPDATE orgs SET
             command_signing_public_key = coalesce(command_signing_public_key, $2),
             command_signing_private_key = coalesce(command_signing_private_key, $3)
           WHERE id = $1
           RETURNING command_signing_public_key AS public_key, command_signing_private_key AS private_key`,
          [orgId, fresh.publicKey, fresh.privateKeyPem],
        );
      }
      const keys = { publicKey: row!.public_key!, privateKey: createPrivateKey(row!.private_key!) };
      signingKeys.set(orgId, keys);
      return keys;
    },
  };
}
export type OrgsRepository = ReturnType<typeof createOrgsRepository>;
