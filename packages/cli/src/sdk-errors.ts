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
  if (error instanceof FleetNetworkError) {
    return new CliError(
      `cannot reach ${where}: is the server running? (fleetops server start)`,
      ExitCode.error,
      undefined,
      error,
    );
  }
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
