import {
  type CheckInRequest,
  CheckInResponse,
  type CommandResultRequest,
  DeviceCommand,
  deviceRoutes,
  type EnrollRequest,
  EnrollResponse,
  ErrorBody,
  type ErrorCode,
  PollResponse,
  type RouteSpec,
  UploadEventsReport,
  type UploadEventsRequest,
} from '@fleetops/protocol';
import { Pool } from 'undici';
import { z } from 'zod';

/**
 * A command as received. Its type is kept as any string: a device answers a command type it does
 * not know with `failed` instead of rejecting the whole response.
 */
export const ReceivedCommand = DeviceCommand.extend({
  type: z.string().min(1),
  // Likewise an unsigned command is refused on its own rather than failing the whole response.
  signature: z.string().default(''),
});
export type ReceivedCommand = z.infer<typeof ReceivedCommand>;

const ReceivedCheckIn = CheckInResponse.extend({ commands: z.array(ReceivedCommand) });
export type ReceivedCheckIn = z.infer<typeof ReceivedCheckIn>;
const ReceivedPoll = PollResponse.extend({ commands: z.array(ReceivedCommand) });

/** The server answered with an error status. */
export class DeviceApiError extends Error {
  override readonly name = 'DeviceApiError';

  constructor(
    readonly status: number,
    readonly code: ErrorCode | undefined,
    message: string,
    /** From `Retry-After`, when the server sent one. */
    readonly retryAfterMs: number | undefined,
    /** The error's `details`, when the server sent some. */
    readonly details?: unknown,
  ) {
    super(message);
  }
}

/** Network failures, timeouts, 408, 429, 5xx and unreadable answers: worth trying again later. */
export function isRetryable(error: unknown): boolean {
  if (!(error instanceof DeviceApiError)) return true;
  return error.status === 408 || error.status === 429 || error.status >= 500;
}

/** The server no longer accepts the device credential (401), or the device was retired (410). */
export function isCredentialRejected(error: unknown): error is DeviceApiError {
  return error instanceof DeviceApiError && (error.status === 401 || error.status === 410);
}

/** The device's user account was disabled or offboarded (403 `device_disabled`): every call is refused. */
export function isDeviceDisabled(error: unknown): error is DeviceApiError {
  return error instanceof DeviceApiError && error.status === 403 && error.code === 'device_disabled';
}

/**
 * The per-event report of an upload the server answered 422 because some events were invalid: the
 * others were taken all the same. Undefined for any other error.
 */
export function rejectionReport(error: unknown): UploadEventsReport | undefined {
  if (!(error instanceof DeviceApiError) || error.status !== 422) return undefined;
  const report = UploadEventsReport.safeParse(error.details);
  return report.success ? report.data : undefined;
}

export interface TransportOptions {
  /** Upper bound of open connections: at least one per device, since each holds a long-poll. */
  connections: number;
}

interface Call {
  credential?: string;
  params?: Record<string, string>;
  query?: Record<string, string | number>;
  body?: unknown;
  signal: AbortSignal;
  /** Time allowed until the response headers arrive. */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const POLL_GRACE_MS = 15_000;

/**
 * A small JSON client of the device API. All devices of a fleet share one instance, so one
 * connection pool serves the whole fleet.
 */
export class DeviceTransport {
  private readonly pool: Pool;
  private readonly basePath: string;

  constructor(serverUrl: string, options: TransportOptions) {
    const url = new URL(serverUrl);
    this.basePath = url.pathname.replace(/\/+$/, '');
    this.pool = new Pool(url.origin, { connections: options.connections });
  }

  async enroll(body: EnrollRequest, signal: AbortSignal): Promise<EnrollResponse> {
    return EnrollResponse.parse(await this.call(deviceRoutes.enroll, { body, signal }));
  }

  async checkIn(credential: string, body: CheckInRequest, signal: AbortSignal): Promise<ReceivedCheckIn> {
    return ReceivedCheckIn.parse(await this.call(deviceRoutes.checkIn, { credential, body, signal }));
  }

  /** Pending commands; the server holds the request up to `waitSeconds` while there are none. */
  async poll(credential: string, waitSeconds: number, signal: AbortSignal): Promise<ReceivedCommand[]> {
    const timeoutMs = waitSeconds * 1000 + POLL_GRACE_MS;
    const answer = await this.call(deviceRoutes.poll, {
      credential,
      query: { wait: waitSeconds },
      signal,
      timeoutMs,
    });
    return ReceivedPoll.parse(answer).commands;
  }

  async reportResult(
    credential: string,
    commandId: string,
    body: CommandResultRequest,
    signal: AbortSignal,
  ): Promise<void> {
    await this.call(deviceRoutes.reportResult, { credential, params: { id: commandId }, body, signal });
  }

  /** Uploads one batch of audit events; a 422 carries the per-event report (see {@link rejectionReport}). */
  async uploadEvents(
    credential: string,
    body: UploadEventsRequest,
    signal: AbortSignal,
  ): Promise<UploadEventsReport> {
    return UploadEventsReport.parse(await this.call(deviceRoutes.uploadEvents, { credential, body, signal }));
  }

  /** Closes every connection at once; requests still in flight fail. */
  async close(): Promise<void> {
    await this.pool.destroy();
  }

  private async call(route: RouteSpec, call: Call): Promise<unknown> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (call.credential) headers.authorization = `Bearer ${call.credential}`;
    if (call.body !== undefined) headers['content-type'] = 'application/json';
    const timeoutMs = call.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const response = await this.pool.request({
      method: route.method,
      path: this.pathOf(route, call),
      headers,
      body: call.body === undefined ? undefined : JSON.stringify(call.body),
      signal: call.signal,
      headersTimeout: timeoutMs,
      bodyTimeout: DEFAULT_TIMEOUT_MS,
    });
    const text = await response.body.text();
    if (response.statusCode >= 200 && response.statusCode < 300) return text ? JSON.parse(text) : undefined;
    throw toApiError(response.statusCode, text, response.headers['retry-after']);
  }

  private pathOf(route: RouteSpec, call: Call): string {
    const path = route.path.replace(/:(\w+)/g, (_, name: string) =>
      encodeURIComponent(call.params?.[name] ?? ''),
    );
    const query = call.query
      ? `?${new URLSearchParams(Object.entries(call.query).map(([k, v]): [string, string] => [k, String(v)]))}`
      : '';
    return `${this.basePath}${path}${query}`;
  }
}

function toApiError(status: number, text: string, retryAfter: string | string[] | undefined): DeviceApiError {
  let body: ErrorBody | undefined;
  try {
    body = ErrorBody.parse(JSON.parse(text));
  } catch {
    body = undefined;
  }
  const seconds = Number(Array.isArray(retryAfter) ? retryAfter[0] : retryAfter);
  const retryAfterMs = Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
  const message = body ? `${body.error.code}: ${body.error.message}` : `HTTP ${status}`;
  return new DeviceApiError(status, body?.error.code, message, retryAfterMs, body?.error.details);
}
