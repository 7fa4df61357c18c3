import {
  type FleetApiError,
  FleetAuthError,
  FleetError,
  FleetNetworkError,
  FleetNotFoundError,
  FleetPermissionError,
  FleetResponseValidationError,
  FleetTimeoutError,
} from '@fleetops/sdk';
import { CliError, ExitCode } from './errors';

const LOGIN_HINT = 'check the token, or log in again: fleetops login --server URL --token TOKEN';

/**
 * Turns an SDK error into one clear line (and a hint). `server` is the URL the client used,
 * for messages about reaching it. Other errors pass through unchanged.
 */
export function explainSdkError(error: unknown, server: string | undefined): unknown {
  if (!(error instanceof FleetError)) return error;
  const where = server ?? 'the server';
  if (error instanceof FleetNetworkError) return explainNetworkError(error, where);
  if (error instanceof FleetTimeoutError) {
    return new CliError(
      `${where} did not answer in time: ${error.message}`,
      ExitCode.error,
      undefined,
      error,
    );
  }
  if (error instanceof FleetAuthError) return new CliError(error.message, ExitCode.error, LOGIN_HINT, error);
  if (error instanceof FleetPermissionError) {
    const role = requiredRole(error);
    const hint = `log in with a token of the ${role ?? 'needed'} role or higher (fleetops login --token …)`;
    return new CliError(error.message, ExitCode.error, hint, error);
  }
  if (error instanceof FleetResponseValidationError) {
    return new CliError(
      error.message,
      ExitCode.error,
      'the server may be of another version than this CLI',
      error,
    );
  }
  return new CliError(error.message, ExitCode.error, undefined, error);
}

/** Network error codes of a failed name lookup. */
const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN']);
/** Network error codes of a failed TLS handshake or certificate check. */
const TLS_CODE = /^(ERR_TLS_|ERR_SSL_|UNABLE_TO_|EPROTO$)|CERT/;

/**
 * One line with the reason the SDK gave (its message is already redacted), and a hint that
 * fits the reason: start the local server only when a local one refused the connection.
 */
function explainNetworkError(error: FleetNetworkError, where: string): CliError {
  const reason = networkReason(error);
  const codes = errorCodes(error.cause);
  if (codes.some((code) => TLS_CODE.test(code))) {
    return new CliError(
      `TLS problem talking to ${where}: ${reason}`,
      ExitCode.error,
      "check the server's certificate, and that it speaks HTTPS (else use an http:// URL)",
      error,
    );
  }
  const hint = codes.some((code) => DNS_CODES.has(code))
    ? 'check the server URL: its host name does not resolve (--server, FLEETOPS_SERVER or the profile)'
    : codes.includes('ECONNREFUSED') && isLoopback(where)
      ? 'is the server running? (fleetops server start)'
      : undefined;
  return new CliError(`cannot reach ${where}: ${reason}`, ExitCode.error, hint, error);
}

/** The SDK's reason without the request and URL it starts with, e.g. `connect ECONNREFUSED 127.0.0.1:8420`. */
function networkReason(error: FleetNetworkError): string {
  const reason = / could not reach \S+: (.*)$/s.exec(error.message)?.[1] ?? error.message;
  return reason.replace(/^fetch failed: /, '');
}

/** The `code`s of an error, its causes, and the errors an `AggregateError` gathers. */
function errorCodes(error: unknown, depth = 0): string[] {
  if (!(error instanceof Error) || depth > 5) return [];
  const own = 'code' in error && typeof error.code === 'string' ? [error.code] : [];
  const gathered =
    error instanceof AggregateError ? error.errors.flatMap((e) => errorCodes(e, depth + 1)) : [];
  return [...own, ...errorCodes(error.cause, depth + 1), ...gathered];
}

/** Whether `url` names this machine (localhost, 127.0.0.0/8, ::1). */
function isLoopback(url: string): boolean {
  const host = URL.canParse(url) ? new URL(url).hostname.replace(/^\[|\]$/g, '') : '';
  return host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127\./.test(host);
}

/** `subject not found (…)` for a 404, e.g. `device 9d1…-… not found`; other errors are unchanged. */
export function notFoundAs(subject: string) {
  return (error: unknown): never => {
    if (error instanceof FleetNotFoundError) {
      throw new CliError(`${subject} not found (${statusLine(error)})`, ExitCode.error, undefined, error);
    }
    throw error;
  };
}

function statusLine(error: FleetApiError): string {
  return [`${error.status} ${error.code}`, error.requestId && `request ${error.requestId}`]
    .filter(Boolean)
    .join(', ');
}

function requiredRole(error: FleetPermissionError): string | undefined {
  const role = error.details?.requiredRole;
  return typeof role === 'string' ? role : undefined;
}
