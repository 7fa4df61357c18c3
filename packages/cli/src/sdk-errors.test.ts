import { FleetNetworkError } from '@fleetops/sdk';
import { describe, expect, it } from 'vitest';
import { CliError } from './errors';
import { explainSdkError } from './sdk-errors';

/** A network error as the SDK builds it from a failed `fetch`. */
function refused(origin: string, address: string): FleetNetworkError {
  const socketError = Object.assign(new Error(`connect ECONNREFUSED ${address}`), { code: 'ECONNREFUSED' });
  const cause = new TypeError('fetch failed', { cause: socketError });
  return new FleetNetworkError(
    `GET /v1/whoami could not reach ${origin}: fetch failed: connect ECONNREFUSED ${address} (after 3 attempts)`,
    { attempts: 3, cause },
  );
}

describe('explainSdkError for network errors', () => {
  it('quotes the reason and suggests starting the server when a local one refused', () => {
    const error = explainSdkError(refused('http://localhost:8420', '[::1]:8420'), 'http://localhost:8420');
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).message).toBe(
      'cannot reach http://localhost:8420: connect ECONNREFUSED [::1]:8420 (after 3 attempts)',
    );
    expect((error as CliError).hint).toBe('is the server running? (fleetops server start)');
  });

  it('does not suggest starting a local server when a remote one refused', () => {
    const server = 'https://fleet.example.com';
    const error = explainSdkError(refused(server, '203.0.113.7:443'), server) as CliError;
    expect(error.message).toBe(
      `cannot reach ${server}: connect ECONNREFUSED 203.0.113.7:443 (after 3 attempts)`,
    );
    expect(error.hint).toBeUndefined();
  });
});
