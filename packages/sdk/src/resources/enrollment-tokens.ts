import {
  adminRoutes,
  type CreatedEnrollmentToken,
  type CreateEnrollmentTokenRequest,
  type EnrollmentToken,
} from '@fleetops/protocol';
import type { PagePromise } from '../core/pagination';
import { APIResource } from '../core/resource';
import type { RouteQuery } from '../core/route-types';
import type { RequestOptions } from '../core/transport';
import { path } from '../internal/path';

/** The query of `enrollmentTokens.list()`: `limit` and `cursor`. */
export type EnrollmentTokenListQuery = RouteQuery<typeof adminRoutes.listEnrollmentTokens>;

/** Enrollment tokens: what a device presents to enroll into a group with a management mode. */
export class EnrollmentTokens extends APIResource {
  /** Lists the org's enrollment tokens, with their status and use count. */
  list(query?: EnrollmentTokenListQuery, options?: RequestOptions): PagePromise<EnrollmentToken> {
    return this._client.requestPage(
      adminRoutes.listEnrollmentTokens,
      { path: '/v1/enrollment-tokens', query },
      options,
    );
  }

  /**
   * Creates an enrollment token (default: group `default`, mode `COPE`, valid 7 days, unlimited uses).
   * Its secret and QR `payload` are in this answer only. Needs an `admin` token.
   */
  async create(
    body: CreateEnrollmentTokenRequest = {},
    options?: RequestOptions,
  ): Promise<CreatedEnrollmentToken> {
    return this._client.request(
      adminRoutes.createEnrollmentToken,
      { path: '/v1/enrollment-tokens', body },
      options,
    );
  }

  /** Revokes an enrollment token; devices can no longer enroll with it. Needs an `admin` token. */
  async revoke(id: string, options?: RequestOptions): Promise<EnrollmentToken> {
    return this._client.request(
      adminRoutes.revokeEnrollmentToken,
      { path: path`/v1/enrollment-tokens/${id}/revoke` },
      options,
    );
  }
}
