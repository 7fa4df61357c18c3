import type { z } from 'zod';
import { DeviceListQuery, IdParams, PatchDeviceRequest } from './admin-api';
import { ApiToken, CreateApiTokenRequest, CreatedApiToken, type Role, WhoAmI } from './auth';
import { Command, SendCommandRequest } from './commands';
import { Page, PageQuery } from './common';
import { Device, InstalledApp } from './device';
import {
  Ack,
  CheckInRequest,
  CheckInResponse,
  CommandResultRequest,
  EnrollRequest,
  EnrollResponse,
  PollQuery,
  PollResponse,
} from './device-api';
import { CreatedEnrollmentToken, CreateEnrollmentTokenRequest, EnrollmentToken } from './enrollment';
import {
  CreateJobRequest,
  Job,
  JobListQuery,
  JobPreview,
  JobResult,
  JobResultsQuery,
  OrgSettings,
  PatchOrgSettingsRequest,
  PreviewJobRequest,
} from './jobs';
import {
  EffectivePolicy,
  PolicyApplyRequest,
  PolicyApplyResult,
  PolicyDocument,
  PolicyDrift,
  PolicyDriftQuery,
  PolicyNameParams,
  PolicyPlan,
  PolicyPlanRequest,
  PolicyRevision,
  PolicyRollbackRequest,
  PolicySet,
  PolicyVersion,
} from './policy';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * One endpoint of the wire contract. The server registers its handler against this,
 * the SDK builds its request from it and the OpenAPI document is generated from it.
 */
export interface RouteSpec {
  method: Method;
  path: string;
  summary: string;
  /** `admin`: an API token with at least `role`; `device`: a device credential; `none`: no credential. */
  auth: 'admin' | 'device' | 'none';
  role?: Role;
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  status: 200 | 201;
  response: z.ZodType;
  /** The answer carries a secret shown once: a retry with the same idempotency key does not get it again. */
  secretInResponse?: boolean;
}

const route = <const R extends RouteSpec>(r: R): R => r;

export const DevicePage = Page(Device).meta({ id: 'DevicePage' });
export const ApiTokenPage = Page(ApiToken).meta({ id: 'ApiTokenPage' });
export const EnrollmentTokenPage = Page(EnrollmentToken).meta({ id: 'EnrollmentTokenPage' });
export const InstalledAppPage = Page(InstalledApp).meta({ id: 'InstalledAppPage' });
export const CommandPage = Page(Command).meta({ id: 'CommandPage' });
export const JobPage = Page(Job).meta({ id: 'JobPage' });
export const JobResultPage = Page(JobResult).meta({ id: 'JobResultPage' });
export const PolicyVersionPage = Page(PolicyVersion).meta({ id: 'PolicyVersionPage' });
export const PolicyRevisionPage = Page(PolicyRevision).meta({ id: 'PolicyRevisionPage' });
export const PolicyDriftPage = Page(PolicyDrift).meta({ id: 'PolicyDriftPage' });

/** The admin API: bearer API tokens, each of one org and one role. */
export const adminRoutes = {
  whoami: route({
    method: 'GET',
    path: '/v1/whoami',
    summary: 'The org and token of the caller',
    auth: 'admin',
    role: 'viewer',
    status: 200,
    response: WhoAmI,
  }),
  listTokens: route({
    method: 'GET',
    path: '/v1/tokens',
    summary: 'List API tokens',
    auth: 'admin',
    role: 'admin',
    query: PageQuery,
    status: 200,
    response: ApiTokenPage,
  }),
  createToken: route({
    method: 'POST',
    path: '/v1/tokens',
    summary: 'Create an API token (the secret is shown once)',
    auth: 'admin',
    role: 'admin',
    secretInResponse: true,
    body: CreateApiTokenRequest,
    status: 201,
    response: CreatedApiToken,
  }),
  revokeToken: route({
    method: 'POST',
    path: '/v1/tokens/:id/revoke',
    summary: 'Revoke an API token',
    auth: 'admin',
    role: 'admin',
    params: IdParams,
    status: 200,
    response: ApiToken,
  }),
  listEnrollmentTokens: route({
    method: 'GET',
    path: '/v1/enrollment-tokens',
    summary: 'List enrollment tokens',
    auth: 'admin',
    role: 'viewer',
    query: PageQuery,
    status: 200,
    response: EnrollmentTokenPage,
  }),
  createEnrollmentToken: route({
    method: 'POST',
    path: '/v1/enrollment-tokens',
    summary: 'Create an enrollment token (the secret and its QR payload are shown once)',
    auth: 'admin',
    role: 'admin',
    secretInResponse: true,
    body: CreateEnrollmentTokenRequest,
    status: 201,
    response: CreatedEnrollmentToken,
  }),
  revokeEnrollmentToken: route({
    method: 'POST',
    path: '/v1/enrollment-tokens/:id/revoke',
    summary: 'Revoke an enrollment token',
    auth: 'admin',
    role: 'admin',
    params: IdParams,
    status: 200,
    response: EnrollmentToken,
  }),
  listDevices: route({
    method: 'GET',
    path: '/v1/devices',
    summary: 'List devices, in a stable order, with filters',
    auth: 'admin',
    role: 'viewer',
    query: DeviceListQuery,
    status: 200,
    response: DevicePage,
  }),
  getDevice: route({
    method: 'GET',
    path: '/v1/devices/:id',
    summary: 'Get one device',
    auth: 'admin',
    role: 'viewer',
    params: IdParams,
    status: 200,
    response: Device,
  }),
  updateDevice: route({
    method: 'PATCH',
    path: '/v1/devices/:id',
    summary: "Change a device's group or labels",
    auth: 'admin',
    role: 'operator',
    params: IdParams,
    body: PatchDeviceRequest,
    status: 200,
    response: Device,
  }),
  retireDevice: route({
    method: 'POST',
    path: '/v1/devices/:id/retire',
    summary: 'Retire (unenroll) a device: its credential stops working at once',
    auth: 'admin',
    role: 'admin',
    params: IdParams,
    status: 200,
    response: Device,
  }),
  listDeviceApps: route({
    method: 'GET',
    path: '/v1/devices/:id/apps',
    summary: 'Apps installed on a device, as last reported',
    auth: 'admin',
    role: 'viewer',
    params: IdParams,
    query: PageQuery,
    status: 200,
    response: InstalledAppPage,
  }),
  sendDeviceCommand: route({
    method: 'POST',
    path: '/v1/devices/:id/commands',
    summary: 'Send a command to one device',
    auth: 'admin',
    role: 'operator',
    params: IdParams,
    body: SendCommandRequest,
    status: 201,
    response: Command,
  }),
  listDeviceCommands: route({
    method: 'GET',
    path: '/v1/devices/:id/commands',
    summary: 'Commands sent to a device, newest first',
    auth: 'admin',
    role: 'viewer',
    params: IdParams,
    query: PageQuery,
    status: 200,
    response: CommandPage,
  }),
  getCommand: route({
    method: 'GET',
    path: '/v1/commands/:id',
    summary: 'Get one command and its status',
    auth: 'admin',
    role: 'viewer',
    params: IdParams,
    status: 200,
    response: Command,
  }),
  previewJob: route({
    method: 'POST',
    path: '/v1/jobs/preview',
    summary: 'What a job would do: resolved devices, who would run it and who would be skipped, and why',
    auth: 'admin',
    role: 'viewer',
    body: PreviewJobRequest,
    status: 200,
    response: JobPreview,
  }),
  createJob: route({
    method: 'POST',
    path: '/v1/jobs',
    summary: 'Send a command to many devices: one job, one command per device (wipe and retire need admin)',
    auth: 'admin',
    role: 'operator',
    body: CreateJobRequest,
    status: 201,
    response: Job,
  }),
  listJobs: route({
    method: 'GET',
    path: '/v1/jobs',
    summary: 'List jobs, newest first',
    auth: 'admin',
    role: 'viewer',
    query: JobListQuery,
    status: 200,
    response: JobPage,
  }),
  getJob: route({
    method: 'GET',
    path: '/v1/jobs/:id',
    summary: 'Get one job with its counts per status',
    auth: 'admin',
    role: 'viewer',
    params: IdParams,
    status: 200,
    response: Job,
  }),
  listJobResults: route({
    method: 'GET',
    path: '/v1/jobs/:id/results',
    summary: "Each device's outcome in a job, in device order",
    auth: 'admin',
    role: 'viewer',
    params: IdParams,
    query: JobResultsQuery,
    status: 200,
    response: JobResultPage,
  }),
  cancelJob: route({
    method: 'POST',
    path: '/v1/jobs/:id/cancel',
    summary: 'Cancel what a job has not finished yet',
    auth: 'admin',
    role: 'operator',
    params: IdParams,
    status: 200,
    response: Job,
  }),
  approveJob: route({
    method: 'POST',
    path: '/v1/jobs/:id/approve',
    summary: 'Approve a job awaiting approval (an admin other than its creator)',
    auth: 'admin',
    role: 'admin',
    params: IdParams,
    status: 200,
    response: Job,
  }),
  getSettings: route({
    method: 'GET',
    path: '/v1/settings',
    summary: "The org's safety settings",
    auth: 'admin',
    role: 'viewer',
    status: 200,
    response: OrgSettings,
  }),
  getPolicies: route({
    method: 'GET',
    path: '/v1/policies',
    summary: 'The live policy set: the current version of every policy, and its revision',
    auth: 'admin',
    role: 'viewer',
    status: 200,
    response: PolicySet,
  }),
  getPolicy: route({
    method: 'GET',
    path: '/v1/policies/:name',
    summary: 'The current version of one policy',
    auth: 'admin',
    role: 'viewer',
    params: PolicyNameParams,
    status: 200,
    response: PolicyVersion,
  }),
  listPolicyVersions: route({
    method: 'GET',
    path: '/v1/policies/:name/versions',
    summary: 'Every version of one policy, newest first',
    auth: 'admin',
    role: 'viewer',
    params: PolicyNameParams,
    query: PageQuery,
    status: 200,
    response: PolicyVersionPage,
  }),
  putPolicy: route({
    method: 'PUT',
    path: '/v1/policies/:name',
    summary: 'Change one policy directly (an edit outside policy files: later plans show it as drift)',
    auth: 'admin',
    role: 'admin',
    params: PolicyNameParams,
    body: PolicyDocument,
    status: 200,
    response: PolicyVersion,
  }),
  planPolicies: route({
    method: 'POST',
    path: '/v1/policy-plans',
    summary:
      'What applying these policy documents would change (three-way: files, last apply, live); changes nothing',
    auth: 'admin',
    role: 'viewer',
    body: PolicyPlanRequest,
    status: 200,
    response: PolicyPlan,
  }),
  applyPolicies: route({
    method: 'POST',
    path: '/v1/policy-revisions',
    summary: 'Apply policy documents all-or-nothing, against the revision they were planned on',
    auth: 'admin',
    role: 'admin',
    body: PolicyApplyRequest,
    status: 200,
    response: PolicyApplyResult,
  }),
  listPolicyRevisions: route({
    method: 'GET',
    path: '/v1/policy-revisions',
    summary: 'Changes of the policy set, newest first',
    auth: 'admin',
    role: 'viewer',
    query: PageQuery,
    status: 200,
    response: PolicyRevisionPage,
  }),
  rollbackPolicies: route({
    method: 'POST',
    path: '/v1/policy-revisions/rollback',
    summary: 'Make the policy set what it was right after an earlier revision (a new revision)',
    auth: 'admin',
    role: 'admin',
    body: PolicyRollbackRequest,
    status: 200,
    response: PolicyApplyResult,
  }),
  listPolicyDrift: route({
    method: 'GET',
    path: '/v1/policy-drift',
    summary: "Devices not running their group's effective policy, or reporting fields they could not apply",
    auth: 'admin',
    role: 'viewer',
    query: PolicyDriftQuery,
    status: 200,
    response: PolicyDriftPage,
  }),
  getDevicePolicy: route({
    method: 'GET',
    path: '/v1/devices/:id/policy',
    summary: "A device's effective policy, where each field came from, and what the device reports running",
    auth: 'admin',
    role: 'viewer',
    params: IdParams,
    status: 200,
    response: EffectivePolicy,
  }),
  updateSettings: route({
    method: 'PATCH',
    path: '/v1/settings',
    summary: "Change the org's safety settings",
    auth: 'admin',
    role: 'admin',
    body: PatchOrgSettingsRequest,
    status: 200,
    response: OrgSettings,
  }),
} as const;

/** The device API: what an enrolled device (or the simulator) speaks. */
export const deviceRoutes = {
  enroll: route({
    method: 'POST',
    path: '/device/v1/enroll',
    summary: 'Enroll a device with an enrollment token and its facts',
    auth: 'none',
    body: EnrollRequest,
    status: 201,
    response: EnrollResponse,
  }),
  checkIn: route({
    method: 'POST',
    path: '/device/v1/checkin',
    summary: 'Report inventory, apps, consent and state; receive pending commands',
    auth: 'device',
    body: CheckInRequest,
    status: 200,
    response: CheckInResponse,
  }),
  poll: route({
    method: 'GET',
    path: '/device/v1/commands',
    summary: 'Pending commands; with `wait`, held open until one arrives',
    auth: 'device',
    query: PollQuery,
    status: 200,
    response: PollResponse,
  }),
  reportResult: route({
    method: 'POST',
    path: '/device/v1/commands/:id/result',
    summary: 'Report the outcome of a command',
    auth: 'device',
    params: IdParams,
    body: CommandResultRequest,
    status: 200,
    response: Ack,
  }),
} as const;
