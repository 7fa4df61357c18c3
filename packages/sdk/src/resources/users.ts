import {
  adminRoutes,
  type CreateUserRequest,
  type ImportUsersRequest,
  type ImportUsersResult,
  type OffboardUserRequest,
  type OffboardUserResult,
  type User,
} from '@fleetops/protocol';
import { FleetNotFoundError } from '../core/errors';
import type { PagePromise } from '../core/pagination';
import { APIResource } from '../core/resource';
import type { RouteQuery } from '../core/route-types';
import type { RequestOptions, StreamedResponse } from '../core/transport';
import { path } from '../internal/path';

/** The filters of `users.list()` (`status`, default all; `email`, exact), plus `limit` and `cursor`. */
export type UserListQuery = RouteQuery<typeof adminRoutes.listUsers>;

/**
 * The people who use managed devices. Accounts are opened by an administrator; disabling or
 * offboarding one refuses their devices from their next call to the server.
 */
export class Users extends APIResource {
  /** Opens an account; `FleetConflictError` when the e-mail already has one. Needs an `admin` token. */
  async create(body: CreateUserRequest, options?: RequestOptions): Promise<User> {
    return this._client.request(adminRoutes.createUser, { path: '/v1/users', body }, options);
  }

  /**
   * Opens many accounts at once, all or nothing: when a row is invalid nothing is created and
   * `FleetBadRequestError.issues` lists every bad row (by its `line` when given). Rows whose
   * e-mail already has an account come back in `existing`. Needs an `admin` token.
   */
  async import(body: ImportUsersRequest, options?: RequestOptions): Promise<ImportUsersResult> {
    return this._client.request(adminRoutes.importUsers, { path: '/v1/users/import', body }, options);
  }

  /** Lists users in a stable order; iterate the answer to walk every page. */
  list(query?: UserListQuery, options?: RequestOptions): PagePromise<User> {
    return this._client.requestPage(adminRoutes.listUsers, { path: '/v1/users', query }, options);
  }

  /** Gets one user by id. */
  async retrieve(id: string, options?: RequestOptions): Promise<User> {
    return this._client.request(adminRoutes.getUser, { path: path`/v1/users/${id}` }, options);
  }

  /**
   * Gets one user by id or by e-mail address (case-insensitive, any status);
   * `FleetNotFoundError` when there is none.
   */
  async resolve(idOrEmail: string, options?: RequestOptions): Promise<User> {
    if (!idOrEmail.includes('@')) return this.retrieve(idOrEmail, options);
    const page = await this.list({ email: idOrEmail, status: 'all', limit: 1 }, options);
    const user = page.data[0];
    if (user) return user;
    throw new FleetNotFoundError({
      status: 404,
      headers: new Headers(),
      body: JSON.stringify({
        error: { code: 'not_found', message: `no user has the e-mail ${idOrEmail}`, requestId: '' },
      }),
      attempts: 1,
    });
  }

  /** Disables a user: their devices are refused from their next call. Needs an `admin` token. */
  async disable(id: string, options?: RequestOptions): Promise<User> {
    return this._client.request(adminRoutes.disableUser, { path: path`/v1/users/${id}/disable` }, options);
  }

  /** Enables a disabled user again. Needs an `admin` token. */
  async enable(id: string, options?: RequestOptions): Promise<User> {
    return this._client.request(adminRoutes.enableUser, { path: path`/v1/users/${id}/enable` }, options);
  }

  /**
   * Offboards a user: their devices are refused from then on; with `retireDevices` each is
   * retired, with `erasePersonalData` their name, e-mail and phone are erased and their events
   * deleted or anonymized at once. Needs an `admin` token.
   */
  async offboard(
    id: string,
    body: OffboardUserRequest,
    options?: RequestOptions,
  ): Promise<OffboardUserResult> {
    return this._client.request(
      adminRoutes.offboardUser,
      { path: path`/v1/users/${id}/offboard`, body },
      options,
    );
  }

  /**
   * Everything stored about one user (right of access), streamed as one JSON object with the keys
   * `user`, `devices`, `events`, `commands` and `activity`. Needs an `admin` token.
   *
   * ```ts
   * const { body } = await client.users.exportData(id);
   * await body.pipeTo(Writable.toWeb(createWriteStream(`${id}.json`)));
   * ```
   */
  async exportData(id: string, options?: RequestOptions): Promise<StreamedResponse> {
    return this._client.requestStream(
      adminRoutes.exportUserData,
      { path: path`/v1/users/${id}/data` },
      options,
    );
  }
}
