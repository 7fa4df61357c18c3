import {
  adminRoutes,
  type Command,
  type Device,
  type DeviceConsent,
  type EffectivePolicy,
  type InstalledApp,
  type PatchDeviceRequest,
} from '@fleetops/protocol';
import type { PagePromise } from '../core/pagination';
import { APIResource } from '../core/resource';
import type { RouteQuery } from '../core/route-types';
import type { RequestOptions } from '../core/transport';
import { path } from '../internal/path';

/** The filters of `devices.list()`, plus `limit` and `cursor`; `status` defaults to `active`. */
export type DeviceListQuery = RouteQuery<typeof adminRoutes.listDevices>;
/** The query of `devices.apps()`: `limit` and `cursor`. */
export type DeviceAppListQuery = RouteQuery<typeof adminRoutes.listDeviceApps>;
/** The query of `devices.commands()`: `limit` and `cursor`. */
export type DeviceCommandListQuery = RouteQuery<typeof adminRoutes.listDeviceCommands>;

/** Enrolled devices: list, inspect, relabel, assign to a user, retire. */
export class Devices extends APIResource {
  /** Lists devices in a stable order; iterate the answer to walk every page. */
  list(query?: DeviceListQuery, options?: RequestOptions): PagePromise<Device> {
    return this._client.requestPage(adminRoutes.listDevices, { path: '/v1/devices', query }, options);
  }

  /** Gets one device. */
  async retrieve(id: string, options?: RequestOptions): Promise<Device> {
    return this._client.request(adminRoutes.getDevice, { path: path`/v1/devices/${id}` }, options);
  }

  /** Changes a device's group, labels or owner (`ownerId`, null to clear). Needs an `operator` token. */
  async update(id: string, patch: PatchDeviceRequest, options?: RequestOptions): Promise<Device> {
    return this._client.request(
      adminRoutes.updateDevice,
      { path: path`/v1/devices/${id}`, body: patch },
      options,
    );
  }

  /** Retires (unenrolls) a device: its credential stops working at once. Needs an `admin` token. */
  async retire(id: string, options?: RequestOptions): Promise<Device> {
    return this._client.request(adminRoutes.retireDevice, { path: path`/v1/devices/${id}/retire` }, options);
  }

  /** Lists the apps installed on a device, as it last reported them. */
  apps(id: string, query?: DeviceAppListQuery, options?: RequestOptions): PagePromise<InstalledApp> {
    return this._client.requestPage(
      adminRoutes.listDeviceApps,
      { path: path`/v1/devices/${id}/apps`, query },
      options,
    );
  }

  /**
   * A device's effective policy: the merge of its group's policies by priority, the policy and
   * version each field came from, and the policy hash the device last reported running.
   */
  async policy(id: string, options?: RequestOptions): Promise<EffectivePolicy> {
    return this._client.request(
      adminRoutes.getDevicePolicy,
      { path: path`/v1/devices/${id}/policy` },
      options,
    );
  }

  /**
   * Per audit category: whether the device's policy collects it, whether its user granted the
   * permission it needs, how long its events are kept, and how many were stored and dropped.
   */
  async consent(id: string, options?: RequestOptions): Promise<DeviceConsent> {
    return this._client.request(
      adminRoutes.getDeviceConsent,
      { path: path`/v1/devices/${id}/consent` },
      options,
    );
  }

  /** Lists the commands sent to a device, newest first. */
  commands(id: string, query?: DeviceCommandListQuery, options?: RequestOptions): PagePromise<Command> {
    return this._client.requestPage(
      adminRoutes.listDeviceCommands,
      { path: path`/v1/devices/${id}/commands`, query },
      options,
    );
  }
}
