import type { FleetClient } from '../client';

/** The base of every resource class: it only holds the client that sends its requests. */
export abstract class APIResource {
  protected readonly _client: FleetClient;

  constructor(client: FleetClient) {
    this._client = client;
  }
}
