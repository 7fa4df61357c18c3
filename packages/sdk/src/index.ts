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
  ManagementMode,
  Org,
  Os,
  PatchDeviceRequest,
  Role,
  SendCommandRequest,
  WhoAmI,
} from '@fleetops/protocol';
export { adminRoutes, FINAL_COMMAND_STATUSES } from '@fleetops/protocol';
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
export type { TokenListQuery } from './resources/tokens';
