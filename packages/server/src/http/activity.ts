import {
  type ActivityEntry,
  adminRoutes,
  CLIENT_CONTEXT_HEADER,
  ClientContext,
  type RouteSpec,
} from '@fleetops/protocol';
import canonicalize from 'canonicalize';
import type { FastifyRequest } from 'fastify';
import { ApiError } from '../errors';
import type { ActivityRepository } from '../repositories/activity';
import type { AdminPrincipal } from '../repositories/api-tokens';
import type { Db } from '../store/db';

type AdminRouteName = keyof typeof adminRoutes;

/** Whether calls of a route are recorded in the activity log: every admin route that changes something. */
export const isAudited = (spec: RouteSpec) =>
  spec.auth === 'admin' && spec.method !== 'GET' && spec.readOnly !== true;

/** Routes whose name does not read as verb + resource. */
const ACTION_EXCEPTIONS: Partial<Record<AdminRouteName, string>> = {
  sendDeviceCommand: 'devices.sendCommand',
  runRetention: 'retention.run',
  applyComplianceRules: 'compliance.applyRules',
  startComplianceScan: 'compliance.scan',
  remediateCompliance: 'compliance.remediate',
};

// By method and path: a route may be registered with a refined copy of its spec.
const endpoint = (spec: RouteSpec) => `${spec.method} ${spec.path}`;
const routeNames = new Map<string, AdminRouteName>(
  Object.entries(adminRoutes).map(([name, spec]) => [endpoint(spec), name as AdminRouteName]),
);

const plural = (word: string) =>
  word.endsWith('s') ? word : word.endsWith('y') ? `${word.slice(0, -1)}ies` : `${word}s`;

/**
 * The action an admin route is logged as: its name in adminRoutes as `resource.verb`
 * (updateDevice → devices.update, offboardUser → users.offboard, updateSettings → settings.update).
 */
export function activityAction(spec: RouteSpec): string {
  const name = routeNames.get(endpoint(spec));
  if (!name) throw new Error(`${endpoint(spec)} is not in adminRoutes, so it has no activity action`);
  const exception = ACTION_EXCEPTIONS[name];
  if (exception) return exception;
  const [, verb, resource] = /^([a-z]+)([A-Z][A-Za-z]*)$/.exec(name) ?? [];
  if (!verb || !resource) throw new Error(`route ${name} is not named verb + resource: give it an action`);
  return `${plural(resource[0]!.toLowerCase() + resource.slice(1))}.${verb}`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const camel = (segment: string) => segment.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
const singular = (word: string) =>
  word.endsWith('ies') ? `${word.slice(0, -3)}y` : word.endsWith('s') ? word.slice(0, -1) : word;

/**
 * What a call changed: the resource its path addresses (`/v1/devices/:id/…` → device), else the
 * resource it created (an `id` in its answer), else the org as a whole.
 */
export function activityTarget(
  spec: RouteSpec,
  params: unknown,
  response: unknown,
  orgId: string,
): NonNullable<ActivityEntry['target']> {
  const segments = spec.path.split('/').filter(Boolean).slice(1);
  const at = segments.findIndex((segment) => segment.startsWith(':'));
  if (at > 0) {
    const value = String((params as Record<string, unknown>)[segments[at]!.slice(1)]);
    // As stored and matched (a user's data export): a uuid written in capitals is the same id.
    return { type: singular(camel(segments[at - 1]!)), id: UUID.test(value) ? value.toLowerCase() : value };
  }
  const id = (response as { id?: unknown } | null | undefined)?.id;
  if (typeof id === 'string' && segments[0]) return { type: singular(camel(segments[0])), id };
  return { type: 'org', id: orgId };
}

/** Fields never kept in the log, wherever they appear. */
const SECRET_FIELDS = ['token', 'secret', 'credential', 'password', 'privateKey'];

/**
 * Personal data is not kept either: the log cannot be edited, so it names people by id only and
 * erasing a user leaves nothing of them in it. A user's name too, when the entry is about a user.
 */
const PERSONAL_FIELDS = ['email', 'phone', 'phoneNumber', 'externalId', 'imei'];
const UNKEPT = new Set([...SECRET_FIELDS, ...PERSONAL_FIELDS]);
const UNKEPT_OF_USERS = new Set([...UNKEPT, 'name']);

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * A state as the log keeps it: plain JSON without secrets or personal data, nor any field that
 * embeds a secret (an enrollment QR payload).
 */
function keptOf(value: unknown, unkept: ReadonlySet<string>): unknown {
  if (value === undefined) return undefined;
  const secrets: string[] = [];
  const strip = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(strip);
    if (!isRecord(node)) return node;
    const kept: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(node)) {
      if (!unkept.has(key)) kept[key] = strip(field);
      else if (typeof field === 'string' && SECRET_FIELDS.includes(key)) secrets.push(field);
    }
    return kept;
  };
  const stripped = strip(JSON.parse(JSON.stringify(value)));
  if (!isRecord(stripped) || secrets.length === 0) return stripped;
  return Object.fromEntries(
    Object.entries(stripped).filter(([, field]) => !secrets.some((s) => JSON.stringify(field).includes(s))),
  );
}

const same = (a: unknown, b: unknown) => canonicalize(a) === canonicalize(b);

/**
 * The top-level fields that differ between the state before a call and its answer, secrets and
 * personal data left out; `after` alone when there was no earlier state (a creation); null when
 * nothing changed.
 */
export function activityChanges(
  before: unknown,
  after: unknown,
  targetType: string,
): ActivityEntry['changes'] {
  const unkept = targetType === 'user' ? UNKEPT_OF_USERS : UNKEPT;
  const old = keptOf(before, unkept);
  const now = keptOf(after, unkept);
  if (old === undefined) return now === undefined ? null : { after: now };
  if (!isRecord(old) || !isRecord(now)) return same(old, now) ? null : { before: old, after: now };
  const changedBefore: Record<string, unknown> = {};
  const changedAfter: Record<string, unknown> = {};
  for (const key of new Set([...Object.keys(old), ...Object.keys(now)])) {
    if (same(old[key], now[key])) continue;
    if (key in old) changedBefore[key] = old[key];
    if (key in now) changedAfter[key] = now[key];
  }
  if (Object.keys(changedBefore).length + Object.keys(changedAfter).length === 0) return null;
  return { before: changedBefore, after: changedAfter };
}

const invalidContext = (why: string) =>
  new ApiError(
    'bad_request',
    `invalid ${CLIENT_CONTEXT_HEADER} header: ${why}; send a JSON object of short strings, e.g. {"gitCommit":"4f2a9c1"}`,
  );

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Header values arrive as Latin-1: bytes that are UTF-8 (as curl sends them) are read as such. */
function asUtf8(header: string): string {
  try {
    return utf8.decode(Buffer.from(header, 'latin1'));
  } catch {
    return header;
  }
}

/** The ClientContext a caller sent in the fleetops-context header; {} when it sent none. */
export function clientContext(request: FastifyRequest): ClientContext {
  const header = request.headers[CLIENT_CONTEXT_HEADER];
  if (header === undefined) return {};
  if (Array.isArray(header)) throw invalidContext('sent more than once');
  let value: unknown;
  try {
    value = JSON.parse(asUtf8(header));
  } catch {
    throw invalidContext('not JSON');
  }
  const parsed = ClientContext.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  throw invalidContext(issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message);
}

/** One mutating admin call as the log records it. */
export interface AuditedCall {
  spec: RouteSpec;
  action: string;
  admin: AdminPrincipal;
  request: FastifyRequest;
  context: ClientContext;
  params: unknown;
  /** Reads the state the call is about to change, when the route tells how. */
  before?: () => Promise<unknown>;
  /** The call commits its own work: only its entry is appended in a transaction, after it. */
  ownTransactions?: boolean;
}

/** The state before, or undefined when there is none yet (the call then answers for itself). */
async function stateBefore(read: () => Promise<unknown>): Promise<unknown> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof ApiError && error.code === 'not_found') return undefined;
    throw error;
  }
}

/**
 * Runs a mutating admin call and appends its activity entry in one transaction, which everything
 * the handler does joins: a call that fails leaves no entry, and a change never lacks its entry.
 * A call with transactions of its own runs first, and its entry is appended after it.
 */
export function recordActivity<T>(
  store: { db: Db; activity: ActivityRepository },
  call: AuditedCall,
  run: () => Promise<T>,
): Promise<T> {
  const runAndAppend = async () => {
    const before = call.before ? await stateBefore(call.before) : undefined;
    const result = await run();
    const orgId = call.admin.org.id;
    const { token } = call.admin;
    const target = activityTarget(call.spec, call.params, result, orgId);
    // In the call's transaction, or a transaction of its own (a call with its own transactions).
    await store.activity.append(orgId, {
      actor: { tokenId: token.id, tokenName: token.name, role: token.role },
      ip: call.request.ip ?? null,
      requestId: String(call.request.id),
      action: call.action,
      target,
      changes: activityChanges(before, result, target.type),
      context: call.context,
    });
    return result;
  };
  return call.ownTransactions ? runAndAppend() : store.db.transaction(runAndAppend);
}
