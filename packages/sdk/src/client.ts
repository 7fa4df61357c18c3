import {
  adminRoutes,
  type ClientContext,
  type PageOf,
  type RouteSpec,
  type WhoAmI,
} from '@fleetops/protocol';
import { FleetError, FleetResponseValidationError } from './core/errors';
import { Page, PagePromise } from './core/pagination';
import type { RoutePageItem, RouteResponse } from './core/route-types';
import { type Fetch, type RequestOptions, type StreamedResponse, Transport } from './core/transport';
import { validContext } from './internal/client-context';
import { createKeepAliveFetch } from './internal/default-fetch';
import { VERSION } from './internal/version';
import { Audit } from './resources/audit';
import { Commands } from './resources/commands';
import { Compliance } from './resources/compliance';
import { Devices } from './resources/devices';
import { EnrollmentTokens } from './resources/enrollment-tokens';
import { Jobs } from './resources/jobs';
import { Policies } from './resources/policies';
import { Rollouts } from './resources/rollouts';
import { Settings } from './resources/settings';
import { Tokens } from './resources/tokens';
import { Users } from './resources/users';

/** How to reach and talk to a fleetops server. */
export interface ClientOptions {
  /** The server's address, e.g. `https://fleet.example.com` (a path prefix is kept). */
  baseUrl: string;
  /** An API token; it is sent as a bearer token and never appears in errors. */
  token: string;
  /** The `fetch` to send requests with; default: undici's `fetch` over a keep-alive agent. */
  fetch?: Fetch;
  /** Time allowed for each attempt of a request, in milliseconds; default 30000. */
  timeoutMs?: number;
  /** Retries after the first attempt of a request; default 2. */
  maxRetries?: number;
  /**
   * Most requests in flight at once across the client; default 16. Further requests wait their
   * turn. The client lowers this while the server answers 429 or 503, and raises it back as
   * requests succeed.
   */
  maxConcurrency?: number;
  /** Your application's name and version, put before the SDK's in `User-Agent`. */
  userAgent?: string;
  /** Headers sent with every request. */
  headers?: Record<string, string>;
  /**
   * Where the changes made through this client come from, e.g. `{ gitCommit, ciRun }`: sent with
   * every mutating call as the `fleetops-context` header and kept in its activity log entry.
   * A call's own `context` option is merged over it.
   */
  context?: ClientContext;
}

/** A request of the admin API: its path with parameters filled in, its query and body. */
export interface RouteRequest {
  path: string;
  query?: object;
  body?: unknown;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_RETRIES = 2;
const DEFAULT_MAX_CONCURRENCY = 16;

/**
 * The client of the fleetops admin API.
 *
 * ```ts
 * const client = new FleetClient({ baseUrl: 'http://localhost:8080', token: process.env.FLEETOPS_TOKEN! });
 * for await (const device of client.devices.list({ os: 'android' })) console.log(device.id);
 * ```
 */
export class FleetClient {
  /** API tokens of the org. */
  readonly tokens: Tokens = new Tokens(this);
  /** Enrollment tokens, which devices enroll with. */
  readonly enrollmentTokens: EnrollmentTokens = new EnrollmentTokens(this);
  /** Enrolled devices. */
  readonly devices: Devices = new Devices(this);
  /** Commands sent to devices, one device at a time. */
  readonly commands: Commands = new Commands(this);
  /** Jobs: one command sent to many devices, with guards, approval and per-device results. */
  readonly jobs: Jobs = new Jobs(this);
  /** Policies as code: the live policy set, plans, applies, revisions and rollbacks. */
  readonly policies: Policies = new Policies(this);
  /** Rollouts: a policy's new version going out to its devices in waves. */
  readonly rollouts: Rollouts = new Rollouts(this);
  /** The org's safety settings. */
  readonly settings: Settings = new Settings(this);
  /** The people who use the devices: accounts, disabling, offboarding, their data. */
  readonly users: Users = new Users(this);
  /** Device audit events and their export, the admin activity log, retention. */
  readonly audit: Audit = new Audit(this);
  /** Compliance rules, scans of the fleet, their results and history, remediation as jobs. */
  readonly compliance: Compliance = new Compliance(this);

  /** The server's address, without a trailing slash. */
  readonly baseUrl: string;
  /** Time allowed for each attempt of a request, in milliseconds. */
  readonly timeoutMs: number;
  /** Retries after the first attempt of a request. */
  readonly maxRetries: number;
  /** Most requests in flight at once, before the client adapts it to the server's load. */
  readonly maxConcurrency: number;

  readonly #transport: Transport;
  readonly #close: () => Promise<void>;

  constructor(options: ClientOptions) {
    this.baseUrl = normaliseBaseUrl(options.baseUrl);
    if (!options.token) throw new FleetError('a token is required: pass { token } to FleetClient');
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.maxRetries = options.maxRetries ?? DEFAULT_MAX_RETRIES;
    this.maxConcurrency = options.maxConcurrency ?? DEFAULT_MAX_CONCURRENCY;
    if (!Number.isInteger(this.maxConcurrency) || this.maxConcurrency < 1) {
      throw new FleetError(`maxConcurrency must be a whole number of at least 1, not ${this.maxConcurrency}`);
    }
    const keepAlive = options.fetch ? undefined : createKeepAliveFetch();
    this.#close = keepAlive?.close ?? (async () => {});
    this.#transport = new Transport({
      baseUrl: this.baseUrl,
      token: options.token,
      fetch: options.fetch ?? keepAlive!.fetch,
      timeoutMs: this.timeoutMs,
      maxRetries: this.maxRetries,
      maxConcurrency: this.maxConcurrency,
      userAgent: [options.userAgent, `fleetops-sdk/${VERSION}`].filter(Boolean).join(' '),
      headers: options.headers ?? {},
      context: validContext(options.context),
    });
  }

  /** The org and the token this client acts as. */
  whoami(options?: RequestOptions): Promise<WhoAmI> {
    return this.request(adminRoutes.whoami, { path: '/v1/whoami' }, options);
  }

  /**
   * Sends one request of `route` and returns its answer parsed by the route's response schema.
   * The resources are built on this; use it for a route they do not cover yet.
   */
  request<R extends RouteSpec>(
    route: R,
    request: RouteRequest,
    options?: RequestOptions,
  ): Promise<RouteResponse<R>> {
    // A generic route's response schema is only known as `z.ZodType`; its output is RouteResponse<R>.
    return this.#transport.request({ method: route.method, ...request }, route.response, options) as Promise<
      RouteResponse<R>
    >;
  }

  /**
   * Like `request`, for a route whose answer is streamed (`route.streamed`): resolves once the
   * status is known to be 2xx (errors are thrown as for `request`) with the body unread, as a web
   * `ReadableStream`. Rejects with `FleetResponseValidationError` when the answer is not in one of
   * the route's media types.
   */
  async requestStream(
    route: RouteSpec,
    request: RouteRequest,
    options?: RequestOptions,
  ): Promise<StreamedResponse> {
    const mediaTypes = route.streamed ?? ['application/json'];
    const response = await this.#transport.stream(
      { method: route.method, accept: mediaTypes.join(', '), ...request },
      options,
    );
    const contentType = response.headers.get('content-type') ?? '';
    if (!mediaTypes.some((type) => essence(type) === essence(contentType))) {
      await response.body.cancel();
      throw new FleetResponseValidationError(
        `${route.method} ${request.path} answered ${response.status} with content type "${contentType}", not ${mediaTypes.map(essence).join(' or ')}`,
        { status: response.status, requestId: response.headers.get('x-request-id') ?? undefined, issues: [] },
      );
    }
    return response;
  }

  /** Like `request`, for a list route: the answer is a `PagePromise` that follows `nextCursor`. */
  requestPage<R extends RouteSpec>(
    route: R,
    request: RouteRequest,
    options?: RequestOptions,
  ): PagePromise<RoutePageItem<R>> {
    type Item = RoutePageItem<R>;
    const loadPage = (cursor: string | undefined): PagePromise<Item> =>
      PagePromise.load(async () => {
        const query = cursor === undefined ? request.query : { ...request.query, cursor };
        const body = (await this.request(route, { ...request, query }, options)) as PageOf<Item>;
        return new Page(body, loadPage);
      });
    return loadPage(undefined);
  }

  /** Closes the keep-alive connections of the default `fetch`; the client can still be used after. */
  close(): Promise<void> {
    return this.#close();
  }
}

/** A media type without its parameters, e.g. `text/csv` for `text/csv; charset=utf-8`. */
function essence(mediaType: string): string {
  return mediaType.split(';')[0]!.trim().toLowerCase();
}

function normaliseBaseUrl(baseUrl: string): string {
  const url = URL.canParse(baseUrl) ? new URL(baseUrl) : undefined;
  if (url?.protocol !== 'http:' && url?.protocol !== 'https:') {
    throw new FleetError(
      `baseUrl must be an http(s) URL such as https://fleet.example.com, not ${JSON.stringify(baseUrl)}`,
    );
  }
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}
