export type {
  ApiToken,
  Command,
  CommandStatus,
  CommandType,
  ConsentGrants,
  CreateApiTokenRequest,
  CreatedApiToken,
  CreatedEnrollmentToken,
  CreateEnrollmentTokenRequest,
  CreateJobRequest,
  Device,
  DeviceFacts,
  DeviceState,
  DeviceStatus,
  EnrollmentPayload,
  EnrollmentToken,
  EnrollmentTokenStatus,
  ErrorBody,
  ErrorCode,
  FieldIssue,
  InstalledApp,
  Job,
  JobCounts,
  JobDeviceStatus,
  JobPreview,
  JobResult,
  JobStatus,
  JobTargets,
  ManagementMode,
  Org,
  OrgSettings,
  Os,
  PatchDeviceRequest,
  PatchOrgSettingsRequest,
  PreviewDevice,
  PreviewJobRequest,
  Role,
  SendCommandRequest,
  SkipReason,
  TargetKey,
  TargetRef,
  UnresolvedTarget,
  WhoAmI,
} from '@fleetops/protocol';
export { adminRoutes, FINAL_COMMAND_STATUSES, FINAL_JOB_STATUSES } from '@fleetops/protocol';
export { type ClientOptions, FleetClient, type RouteRequest } from './client';
export {
  type ApiErrorInit,
  FleetAbortError,
  FleetApiError,
  FleetAuthError,
  FleetBadRequestError,
  FleetConflictError,
  FleetError,
  FleetNetworkError,
  FleetNotFoundError,
  FleetPermissionError,
  FleetRateLimitError,
  FleetResponseValidationError,
  FleetServerError,
  FleetTimeoutError,
} from './core/errors';
export { Page, type PageLoader, PagePromise } from './core/pagination';
export type { RouteBody, RoutePageItem, RouteQuery, RouteResponse } from './core/route-types';
export type { Fetch, RequestOptions } from './core/transport';
export { VERSION } from './internal/version';
export type { WaitOptions } from './resources/commands';
export type { DeviceAppListQuery, DeviceCommandListQuery, DeviceListQuery } from './resources/devices';
export type { EnrollmentTokenListQuery } from './resources/enrollment-tokens';
export type { JobListQuery, JobResultsQuery, JobWaitOptions, JobWatchOptions } from './resources/jobs';
export type { TokenListQuery } from './resources/tokens';
