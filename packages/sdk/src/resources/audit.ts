import {
  type ActivityCheckpoint,
  type ActivityEntry,
  type ActivityVerifyResult,
  type AuditExportQuery,
  adminRoutes,
  DeviceEvent,
  type ExportFormat,
  type RetentionRunResult,
} from '@fleetops/protocol';
import { FleetError } from '../core/errors';
import type { PagePromise } from '../core/pagination';
import { APIResource } from '../core/resource';
import { parseNdjson } from '../core/response';
import type { RouteQuery } from '../core/route-types';
import type { RequestOptions, StreamedResponse } from '../core/transport';

/** The filters of `audit.events.list()` (category, deviceId, group, userId, since, until), plus `limit` and `cursor`. */
export type AuditEventListQuery = RouteQuery<typeof adminRoutes.listAuditEvents>;
/** The filters of `audit.activity.list()` (actor, action, targetId, since, until), plus `limit` and `cursor`. */
export type ActivityListQuery = RouteQuery<typeof adminRoutes.listActivity>;
/** The query of `audit.checkpoints.list()`: `limit` and `cursor`. */
export type CheckpointListQuery = RouteQuery<typeof adminRoutes.listCheckpoints>;

/** A head of the activity log seen before (`seq` and `hash` of an entry), which must still be in it. */
export interface ActivityWitness {
  seq: number;
  hash: string;
}

/**
 * A streamed export of device events. Read it once: either the raw bytes from `body` (any
 * format), or the typed events by iterating it (NDJSON only). Nothing is held in memory beyond
 * the line being read.
 */
export class AuditExport implements AsyncIterable<DeviceEvent> {
  /** The format the body is in. */
  readonly format: ExportFormat;
  /** The raw body in `format`, as the server sends it. */
  readonly body: ReadableStream<Uint8Array>;
  /** The answer's headers (`x-request-id`, `content-type`). */
  readonly headers: Headers;
  readonly #status: number;
  readonly #target: string;
  #read = false;

  constructor(response: StreamedResponse, format: ExportFormat, target: string) {
    this.format = format;
    this.body = response.body;
    this.headers = response.headers;
    this.#status = response.status;
    this.#target = target;
  }

  /**
   * The events, parsed as their lines arrive and checked against the protocol: a bad line
   * rejects with `FleetResponseValidationError` naming its line number. If the connection breaks
   * (`FleetNetworkError`), export again with `after` set to the `id` of the last event received.
   * Breaking out of the loop closes the connection.
   */
  events(): AsyncIterable<DeviceEvent> {
    if (this.format !== 'ndjson') {
      throw new FleetError(`events() reads an ndjson export, not ${this.format}: read body instead`);
    }
    if (this.#read || this.body.locked) {
      throw new FleetError('this export is already being read: export again to read it twice');
    }
    this.#read = true;
    return parseNdjson(this.body, DeviceEvent, {
      target: this.#target,
      status: this.#status,
      requestId: this.headers.get('x-request-id') ?? undefined,
    });
  }

  [Symbol.asyncIterator](): AsyncIterator<DeviceEvent> {
    return this.events()[Symbol.asyncIterator]();
  }
}

/** Device audit events, as stored after the policy and consent gates; oldest first. */
export class AuditEvents extends APIResource {
  /** Lists events by id (the order they were stored in); iterate the answer to walk every page. */
  list(query?: AuditEventListQuery, options?: RequestOptions): PagePromise<DeviceEvent> {
    return this._client.requestPage(
      adminRoutes.listAuditEvents,
      { path: '/v1/audit/events', query },
      options,
    );
  }
}

/** The admin activity log: one hash-chained entry per change made through the admin API. */
export class AuditActivity extends APIResource {
  /** Lists entries by `seq`, oldest first; iterate the answer to walk every page. */
  list(query?: ActivityListQuery, options?: RequestOptions): PagePromise<ActivityEntry> {
    return this._client.requestPage(adminRoutes.listActivity, { path: '/v1/audit/activity', query }, options);
  }
}

/** Signed checkpoints of the activity log's head. */
export class AuditCheckpoints extends APIResource {
  /** Lists checkpoints by number, oldest first; iterate the answer to walk every page. */
  list(query?: CheckpointListQuery, options?: RequestOptions): PagePromise<ActivityCheckpoint> {
    return this._client.requestPage(
      adminRoutes.listCheckpoints,
      { path: '/v1/audit/checkpoints', query },
      options,
    );
  }
}

/** Device audit events and their export, the admin activity log and its verification, retention. */
export class Audit extends APIResource {
  /** Device audit events. Needs an `auditor` token. */
  readonly events: AuditEvents = new AuditEvents(this._client);
  /** The admin activity log. Needs an `auditor` token. */
  readonly activity: AuditActivity = new AuditActivity(this._client);
  /** Signed checkpoints of the activity log. Needs an `auditor` token. */
  readonly checkpoints: AuditCheckpoints = new AuditCheckpoints(this._client);

  /**
   * Exports events in id order as NDJSON (default), CSV or a JSON array, streamed. Resolves once
   * the server accepted the request (errors are thrown as for any call, after the usual
   * retries), before any event is read. `redact: true` masks personal fields; `after: id`
   * resumes after that event. Needs an `auditor` token.
   *
   * ```ts
   * for await (const event of await client.audit.export({ category: 'location' })) console.log(event.id);
   * await (await client.audit.export({ format: 'csv' })).body.pipeTo(Writable.toWeb(createWriteStream('audit.csv')));
   * ```
   */
  async export(query: AuditExportQuery = {}, options?: RequestOptions): Promise<AuditExport> {
    const path = '/v1/audit/events/export';
    const response = await this._client.requestStream(
      adminRoutes.exportAuditEvents,
      { path, query },
      options,
    );
    return new AuditExport(response, query.format ?? 'ndjson', `GET ${path}`);
  }

  /**
   * Recomputes the activity log's hash chain and checks its signed checkpoints; `broken` names
   * the first break. Pass a `witness` (a head seen earlier, e.g. from a previous run) to check
   * that the log still contains it unchanged. Needs an `auditor` token.
   */
  async verify(witness?: ActivityWitness, options?: RequestOptions): Promise<ActivityVerifyResult> {
    const query = witness && { witnessSeq: witness.seq, witnessHash: witness.hash };
    return this._client.request(adminRoutes.verifyActivity, { path: '/v1/audit/verify', query }, options);
  }

  /**
   * Deletes or anonymizes (the org's `retentionAction`) the events past their retention now,
   * rather than at the server's next sweep. Needs an `admin` token.
   */
  async runRetention(options?: RequestOptions): Promise<RetentionRunResult> {
    return this._client.request(adminRoutes.runRetention, { path: '/v1/audit/retention/run' }, options);
  }
}
