import { adminRoutes, type OrgSettings, type PatchOrgSettingsRequest } from '@fleetops/protocol';
import { APIResource } from '../core/resource';
import type { RequestOptions } from '../core/transport';

/** The org's safety settings: the approval threshold and the hourly budget of destructive commands. */
export class Settings extends APIResource {
  /** Gets the org's settings; null means a setting is off. */
  async retrieve(options?: RequestOptions): Promise<OrgSettings> {
    return this._client.request(adminRoutes.getSettings, { path: '/v1/settings' }, options);
  }

  /** Changes the settings given, leaving the others; null turns one off. Needs an `admin` token. */
  async update(body: PatchOrgSettingsRequest, options?: RequestOptions): Promise<OrgSettings> {
    return this._client.request(adminRoutes.updateSettings, { path: '/v1/settings', body }, options);
  }
}
