import {
  type ApiToken,
  adminRoutes,
  type CreateApiTokenRequest,
  type CreatedApiToken,
} from '@fleetops/protocol';
import type { PagePromise } from '../core/pagination';
import { APIResource } from '../core/resource';
import type { RouteQuery } from '../core/route-types';
import type { RequestOptions } from '../core/transport';
import { path } from '../internal/path';

/** The query of `tokens.list()`: `limit` and `cursor`. */
export type TokenListQuery = RouteQuery<typeof adminRoutes.listTokens>;

/** API tokens of the org. Every method needs an `admin` token. */
export class Tokens extends APIResource {
  /** Lists the org's API tokens, revoked ones included. */
  list(query?: TokenListQuery, options?: RequestOptions): PagePromise<ApiToken> {
    return this._client.requestPage(adminRoutes.listTokens, { path: '/v1/tokens', query }, options);
  }

  /** Creates an API token. Its secret, `token`, is in this answer only: store it now. */
  async create(body: CreateApiTokenRequest, options?: RequestOptions): Promise<CreatedApiToken> {
    return this._client.request(adminRoutes.createToken, { path: '/v1/tokens', body }, options);
  }

  /** Revokes an API token; it stops working at once. */
  async revoke(id: string, options?: RequestOptions): Promise<ApiToken> {
    return this._client.request(adminRoutes.revokeToken, { path: path`/v1/tokens/${id}/revoke` }, options);
  }
}
