import type { AuditEventQuery, AuditExportQuery } from '@fleetops/protocol';
import type { z } from 'zod';
import type { Db } from '../../store/db';
import type { DevicePrincipal } from '../devices';
import type { DevicePolicies } from '../policies/device-policies';
import { createCollections } from './collection';
import { deviceConsent } from './consent';
import { eraseEvents } from './erase';
import { exportEvents } from './export';
import { listEvents } from './list';
import { runRetention } from './retention';
import { uploadEvents } from './upload';

/** Device audit events: upload through both gates, query, streamed export, consent, retention, erasure. */
export function createEventsRepository(db: Db, devicePolicies: DevicePolicies) {
  const collections = createCollections(db, devicePolicies);
  return {
    /** Stores what a device uploaded and its gates allow; counts the rest. */
    upload: (device: DevicePrincipal, events: readonly unknown[]) =>
      uploadEvents(db, collections, device, events),
    list: (orgId: string, query: z.output<typeof AuditEventQuery>) => listEvents(db, orgId, query),
    export: (orgId: string, query: z.output<typeof AuditExportQuery>) => exportEvents(db, orgId, query),
    consent: (orgId: string, deviceId: string) => deviceConsent(db, collections, orgId, deviceId),
    /** Deletes or anonymizes the events past their retention: one org's, or every org's (the sweeper). */
    runRetention: (orgId?: string) => runRetention(db, orgId ?? null),
    erase: eraseEvents,
  };
}
export type EventsRepository = ReturnType<typeof createEventsRepository>;
