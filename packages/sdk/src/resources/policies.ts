import {
  adminRoutes,
  type CreateRolloutRequest,
  type PolicyApplyRequest,
  type PolicyApplyResult,
  PolicyDocument,
  type PolicyDocumentInput,
  type PolicyDrift,
  type PolicyPlan,
  type PolicyPlanRequest,
  type PolicyRevision,
  type PolicyRollbackRequest,
  type PolicySet,
  type PolicyVersion,
  type Rollout,
} from '@fleetops/protocol';
import type { PagePromise } from '../core/pagination';
import { APIResource } from '../core/resource';
import type { RouteQuery } from '../core/route-types';
import type { RequestOptions } from '../core/transport';
import { path } from '../internal/path';

/** A problem `policies.validate()` found: which document, which field, what is wrong. */
export interface PolicyValidationIssue {
  index: number;
  path: string;
  message: string;
}

/** The query of `policies.versions()`: `limit` and `cursor`. */
export type PolicyVersionListQuery = RouteQuery<typeof adminRoutes.listPolicyVersions>;
/** The query of `policies.revisions()`: `limit` and `cursor`. */
export type PolicyRevisionListQuery = RouteQuery<typeof adminRoutes.listPolicyRevisions>;
/** The query of `policies.drift()`: `group`, `limit` and `cursor`. */
export type PolicyDriftListQuery = RouteQuery<typeof adminRoutes.listPolicyDrift>;

/**
 * Policies as code: the live policy set, its numbered revisions and each policy's versions.
 * Plan what a set of documents would change, apply it against the revision it was planned on,
 * roll back to an earlier revision.
 */
export class Policies extends APIResource {
  /**
   * Checks policy documents against the schema, without a server: one issue per problem, with the
   * document's index and the field path. The server's own checks (groups that exist, conflicting
   * priorities) come with `plan`.
   */
  validate(documents: unknown[]): PolicyValidationIssue[] {
    return documents.flatMap((document, index) => {
      const parsed = PolicyDocument.safeParse(document);
      return parsed.success
        ? []
        : parsed.error.issues.map((issue) => ({ index, path: issue.path.join('.'), message: issue.message }));
    });
  }

  /** The live policies as documents, as files would hold them (see `fleetops policy pull`). */
  async pull(options?: RequestOptions): Promise<PolicyDocument[]> {
    return (await this.list(options)).policies.map((policy) => policy.document);
  }

  /**
   * Rolls the policy's newest (staged) version out in waves; the same as `rollouts.create`, where
   * the rollout is followed (`rollouts.watch`) and paused, resumed, aborted or rolled back.
   */
  rollout(name: string, body: CreateRolloutRequest, options?: RequestOptions): Promise<Rollout> {
    return this._client.rollouts.create(name, body, options);
  }

  /** The live policy set: the current version of every policy, and the revision it is at. */
  async list(options?: RequestOptions): Promise<PolicySet> {
    return this._client.request(adminRoutes.getPolicies, { path: '/v1/policies' }, options);
  }

  /** The current version of one policy; `FleetNotFoundError` when no live policy has that name. */
  async retrieve(name: string, options?: RequestOptions): Promise<PolicyVersion> {
    return this._client.request(adminRoutes.getPolicy, { path: path`/v1/policies/${name}` }, options);
  }

  /** Every version of one policy, newest first; iterate the answer to walk every page. */
  versions(
    name: string,
    query?: PolicyVersionListQuery,
    options?: RequestOptions,
  ): PagePromise<PolicyVersion> {
    return this._client.requestPage(
      adminRoutes.listPolicyVersions,
      { path: path`/v1/policies/${name}/versions`, query },
      options,
    );
  }

  /**
   * Changes one policy directly, as a revision of source `edit`. Later plans of the policy files
   * show such an edit as drift. Needs an `admin` token.
   */
  async put(name: string, document: PolicyDocumentInput, options?: RequestOptions): Promise<PolicyVersion> {
    return this._client.request(
      adminRoutes.putPolicy,
      { path: path`/v1/policies/${name}`, body: document },
      options,
    );
  }

  /**
   * What applying these documents would change: per policy the fields from live to desired, and
   * the drift (fields edited on the server since the last apply) the apply would overwrite.
   * Changes nothing. Refused with `FleetBadRequestError` (code `validation_failed`,
   * `details.issues` with paths `documents.<index>.<field>`) when the documents do not fit together.
   */
  async plan(body: PolicyPlanRequest, options?: RequestOptions): Promise<PolicyPlan> {
    return this._client.request(adminRoutes.planPolicies, { path: '/v1/policy-plans', body }, options);
  }

  /**
   * Applies documents all-or-nothing as one new revision (`revision` is null when nothing changed).
   * Refused with `FleetConflictError` when the live revision is no longer `baseRevision`: plan again.
   * With `staged: true` devices keep the versions they run until `rollouts.create()` releases the
   * new ones. Needs an `admin` token.
   */
  async apply(body: PolicyApplyRequest, options?: RequestOptions): Promise<PolicyApplyResult> {
    return this._client.request(adminRoutes.applyPolicies, { path: '/v1/policy-revisions', body }, options);
  }

  /** Changes of the policy set, newest first; iterate the answer to walk every page. */
  revisions(query?: PolicyRevisionListQuery, options?: RequestOptions): PagePromise<PolicyRevision> {
    return this._client.requestPage(
      adminRoutes.listPolicyRevisions,
      { path: '/v1/policy-revisions', query },
      options,
    );
  }

  /**
   * Devices that do not report running their group's effective policy, or report fields of it they
   * could not apply, in id order; iterate the answer to walk every page.
   */
  drift(query?: PolicyDriftListQuery, options?: RequestOptions): PagePromise<PolicyDrift> {
    return this._client.requestPage(
      adminRoutes.listPolicyDrift,
      { path: '/v1/policy-drift', query },
      options,
    );
  }

  /**
   * Makes the policy set what it was right after `toRevision`, as a new revision of source
   * `rollback`. Needs an `admin` token.
   */
  async rollback(body: PolicyRollbackRequest, options?: RequestOptions): Promise<PolicyApplyResult> {
    return this._client.request(
      adminRoutes.rollbackPolicies,
      { path: '/v1/policy-revisions/rollback', body },
      options,
    );
  }
}
