import { randomUUID } from 'node:crypto';
import { CLIENT_CONTEXT_HEADER, type ClientContext } from '@fleetops/protocol';
import type { z } from 'zod';
import { retryDelayMs } from '../internal/backoff';
import { contextHeader, validContext } from '../internal/client-context';
import { guardBody } from '../internal/guard-body';
import { queryString } from '../internal/query';
import { redact } from '../internal/redact';
import { abortError, sleep } from '../internal/sleep';
import { FleetApiError, FleetNetworkError, FleetTimeoutError } from './errors';
import { parseResponse, type RawResponse } from './response';
import { Throttle } from './throttle';

/** The `fetch` the client sends requests with; the global `fetch` fits. */
export type Fetch = (url: string, init: RequestInit) => Promise<Response>;

/** Options every method takes last, overriding the client's for one call. */
export interface RequestOptions {
  /** Aborts the call, including its retries; it then rejects with `FleetAbortError`. */
  signal?: AbortSignal;
  /** Time allowed for each attempt, in milliseconds. */
  timeoutMs?: number;
  /** Retries after the first attempt. */
  maxRetries?: number;
  /** Sent as `Idempotency-Key` on POST and PATCH; a random UUID when not given. */
  idempotencyKey?: string;
  /** Extra request headers. */
  headers?: Record<string, string>;
  /**
   * Where this change comes from (a commit, a CI run, a change ticket), kept in the activity log
   * entry of a mutating call; merged over the client's `context`. Not sent with GET requests.
   */
  context?: ClientContext;
}

/** A 2xx answer whose body is handed out as it arrives. */
export interface StreamedResponse {
  status: number;
  headers: Headers;
  /** The raw body; it can be read once. Aborting the call's `signal` errors it with `FleetAbortError`. */
  body: ReadableStream<Uint8Array>;
}

/** The settings the transport runs with, resolved by the client. */
export interface TransportConfig {
  /** An absolute URL without a trailing slash. */
  baseUrl: string;
  token: string;
  fetch: Fetch;
  timeoutMs: number;
  maxRetries: number;
  /** Most attempts in flight at once; the throttle lowers this while the server is overloaded. */
  maxConcurrency: number;
  userAgent: string;
  headers: Record<string, string>;
  /** Sent with every mutating request; already validated. */
  context: ClientContext | undefined;
}

/** One request, as a resource describes it. */
export interface RequestSpec {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  query?: object;
  body?: unknown;
  /** The `Accept` header; default `application/json`. */
  accept?: string;
}

interface PreparedRequest {
  method: RequestSpec['method'];
  path: string;
  url: string;
  headers: Headers;
  body: string | undefined;
  signal: AbortSignal | undefined;
  timeoutMs: number;
  maxRetries: number;
}

/** A 2xx answer with its body as the caller's reader took it. */
type Success<T> = { ok: true; status: number; headers: Headers; body: T };

/** An answer as an attempt receives it: an error's body is read as text. */
type Answer<T> = Success<T> | { ok: false; status: number; headers: Headers; body: string };

/** Takes a 2xx answer's body, within the attempt's timeout; `attempts` counts this one. */
type BodyReader<T> = (response: Response, attempts: number) => Promise<T>;

class AttemptTimedOut extends Error {}

/**
 * Sends requests: request -> makeRequest -> (throttle) -> fetchWithTimeout -> shouldRetry ->
 * retryRequest.
 * Every request is safe to repeat: GETs by nature, the others because they carry an
 * `Idempotency-Key` that stays the same across attempts.
 */
export class Transport {
  readonly #config: TransportConfig;
  readonly #throttle: Throttle;

  constructor(config: TransportConfig) {
    this.#config = config;
    this.#throttle = new Throttle(config.maxConcurrency);
  }

  /** Sends `spec` and returns its body parsed by `schema`. */
  async request<S extends z.ZodType>(
    spec: RequestSpec,
    schema: S,
    options: RequestOptions = {},
  ): Promise<z.output<S>> {
    const request = this.prepare(spec, options);
    const response = await this.makeRequest(request, request.maxRetries, (answer) => answer.text());
    return parseResponse(response, schema, {
      target: `${request.method} ${request.path}`,
      redact: (text) => redact(text, this.#config.token),
    });
  }

  /**
   * Sends `spec` like `request`, with the same status handling and retries, and resolves once the
   * answer's headers are in: its body is then handed out unread. `timeoutMs` covers each attempt
   * up to the headers; `signal` also aborts the body.
   */
  async stream(spec: RequestSpec, options: RequestOptions = {}): Promise<StreamedResponse> {
    const request = this.prepare(spec, options);
    const response = await this.makeRequest(request, request.maxRetries, async (answer, attempts) =>
      guardBody(answer.body ?? new ReadableStream<Uint8Array>({ start: (c) => c.close() }), {
        signal: request.signal,
        describeError: (error) => this.bodyError(request, error, attempts),
      }),
    );
    return { status: response.status, headers: response.headers, body: response.body };
  }

  private prepare(spec: RequestSpec, options: RequestOptions): PreparedRequest {
    const config = this.#config;
    const headers = new Headers({
      Accept: spec.accept ?? 'application/json',
      'User-Agent': config.userAgent,
      Authorization: `Bearer ${config.token}`,
    });
    for (const [name, value] of Object.entries({ ...config.headers, ...options.headers })) {
      headers.set(name, value);
    }
    if (spec.body !== undefined) headers.set('Content-Type', 'application/json');
    if (spec.method !== 'GET') {
      headers.set('Idempotency-Key', options.idempotencyKey ?? randomUUID());
      const context = { ...config.context, ...validContext(options.context) };
      if (Object.keys(context).length > 0) headers.set(CLIENT_CONTEXT_HEADER, contextHeader(context));
    }
    return {
      method: spec.method,
      path: spec.path,
      url: `${config.baseUrl}${spec.path}${queryString(spec.query)}`,
      headers,
      body: spec.body === undefined ? undefined : JSON.stringify(spec.body),
      signal: options.signal,
      timeoutMs: options.timeoutMs ?? config.timeoutMs,
      maxRetries: options.maxRetries ?? config.maxRetries,
    };
  }

  private async makeRequest<T>(
    request: PreparedRequest,
    retriesRemaining: number,
    readBody: BodyReader<T>,
  ): Promise<Success<T>> {
    const retryCount = request.maxRetries - retriesRemaining;
    if (request.signal?.aborted) throw abortError(request.signal);
    // An attempt that need not wait is sent in the same tick, as if there were no throttle.
    const slot = this.#throttle.tryAcquire() ?? (await this.#throttle.acquire(request.signal));
    let answer: Answer<T>;
    try {
      answer = await this.fetchWithTimeout(request, retryCount, readBody);
    } catch (error) {
      slot.release();
      if (request.signal?.aborted) throw abortError(request.signal);
      if (retriesRemaining > 0) return this.retryRequest(request, retriesRemaining, readBody);
      throw this.connectionError(request, error, retryCount + 1);
    }
    // A streamed body is not counted as in flight: a long export does not hold a slot.
    slot.release(answer);
    if (answer.ok) return answer;
    if (retriesRemaining > 0 && shouldRetry(answer)) {
      return this.retryRequest(request, retriesRemaining, readBody, answer.headers);
    }
    throw FleetApiError.generate({
      ...answer,
      attempts: retryCount + 1,
      redact: (text) => redact(text, this.#config.token),
    });
  }

  private async fetchWithTimeout<T>(
    request: PreparedRequest,
    retryCount: number,
    readBody: BodyReader<T>,
  ): Promise<Answer<T>> {
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(new AttemptTimedOut()), request.timeoutMs);
    const signal = request.signal ? AbortSignal.any([request.signal, timeout.signal]) : timeout.signal;
    const headers = new Headers(request.headers);
    headers.set('X-Retry-Count', String(retryCount));
    try {
      const response = await this.#config.fetch(request.url, {
        method: request.method,
        headers: Object.fromEntries(headers),
        body: request.body,
        signal,
      });
      const { status, headers: responseHeaders } = response;
      if (status >= 200 && status < 300) {
        return { ok: true, status, headers: responseHeaders, body: await readBody(response, retryCount + 1) };
      }
      return { ok: false, status, headers: responseHeaders, body: await response.text() };
    } catch (error) {
      if (timeout.signal.aborted) throw new AttemptTimedOut(undefined, { cause: error });
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  private async retryRequest<T>(
    request: PreparedRequest,
    retriesRemaining: number,
    readBody: BodyReader<T>,
    responseHeaders?: Headers,
  ): Promise<Success<T>> {
    const retry = request.maxRetries - retriesRemaining;
    await sleep(retryDelayMs(retry, responseHeaders), request.signal);
    return this.makeRequest(request, retriesRemaining - 1, readBody);
  }

  /** The error a streamed body ends with when its connection breaks after the headers. */
  private bodyError(request: PreparedRequest, error: unknown, attempts: number): FleetNetworkError {
    const reason = redact(describeCause(error), this.#config.token);
    return new FleetNetworkError(
      `${request.method} ${request.path}: the connection to ${this.origin()} broke while the body was read: ${reason}`,
      { attempts, cause: error },
    );
  }

  private connectionError(request: PreparedRequest, error: unknown, attempts: number) {
    const target = `${request.method} ${request.path}`;
    const after = attempts > 1 ? ` (after ${attempts} attempts)` : '';
    if (error instanceof AttemptTimedOut) {
      return new FleetTimeoutError(`${target} timed out after ${request.timeoutMs} ms${after}`, {
        attempts,
        cause: error.cause,
      });
    }
    const reason = redact(describeCause(error), this.#config.token);
    return new FleetNetworkError(`${target} could not reach ${this.origin()}: ${reason}${after}`, {
      attempts,
      cause: error,
    });
  }

  private origin(): string {
    return new URL(this.#config.baseUrl).origin;
  }
}

/** The retry policy for an answer that is not 2xx. */
function shouldRetry(response: RawResponse): boolean {
  const hint = response.headers.get('x-should-retry');
  if (hint === 'true') return true;
  if (hint === 'false') return false;
  if (response.status === 408) return true;
  if (response.status === 429) return true;
  if (response.status >= 500) return true;
  return false;
}

function describeCause(error: unknown): string {
  const messages: string[] = [];
  for (let current = error; current instanceof Error && messages.length < 3; current = current.cause) {
    messages.push(current.message);
  }
  return messages.join(': ') || String(error);
}
