import type { ConsentPermission } from '@fleetops/protocol';

/** Why a device stopped for good. */
export type StopReason =
  /** The server answered 410 `device_retired`. */
  | 'retired'
  /** The server no longer accepts the device credential (401). */
  | 'unauthorized'
  /** The enrollment token was refused (invalid, expired, exhausted or revoked). */
  | 'enrollment-refused'
  /** The server refused a request for another reason (4xx), e.g. facts it does not accept. */
  | 'request-refused'
  /** A `wipe` command: the device was factory reset and does not come back. */
  | 'wiped'
  /** A `retire` command: the device removed its management and does not come back. */
  | 'unenrolled'
  /** The server answered 403 `device_disabled`: the device's user was disabled or offboarded. */
  | 'disabled';

/** What a device was doing when a request failed. */
export type Operation = 'enroll' | 'check-in' | 'poll' | 'report' | 'upload';

/** Progress of a simulated fleet, one device at a time; `index` is the device's place in the fleet. */
export type FleetEvent =
  | { type: 'enrolled'; index: number; deviceId: string; serial: string }
  | { type: 'restored'; index: number; deviceId: string; serial: string }
  /** A stored credential was refused: the device enrolls again if the enrollment token still works. */
  | { type: 'credential-rejected'; index: number; deviceId: string; message: string }
  | {
      type: 'command-executed';
      index: number;
      deviceId: string;
      commandId: string;
      commandType: string;
      status: 'succeeded' | 'failed';
      error?: string;
    }
  /** A command not signed by the device's org for this enrollment, or expired: reported failed, not executed. */
  | {
      type: 'command-refused';
      index: number;
      deviceId: string;
      commandId: string;
      commandType: string;
      reason: string;
    }
  /** The device applied a new policy; `failures` fields of it could not be applied. */
  | { type: 'policy-applied'; index: number; deviceId: string; hash: string; failures: number }
  | { type: 'rebooting'; index: number; deviceId: string; offlineMs: number }
  /** Back after a reboot: the device checked in again. */
  | { type: 'rebooted'; index: number; deviceId: string }
  | { type: 'stopped'; index: number; deviceId: string | null; reason: StopReason; message: string }
  /** The device's user granted or withdrew a permission; the next check-in reports it. */
  | {
      type: 'consent-changed';
      index: number;
      deviceId: string | null;
      permission: ConsentPermission;
      granted: boolean;
    }
  /** The server refused `count` events of an upload as invalid (422); they are not sent again. */
  | { type: 'events-rejected'; index: number; deviceId: string; count: number; message: string }
  /** A request failed; `retryInMs` is set when the device tries again by itself. */
  | {
      type: 'error';
      index: number;
      deviceId: string | null;
      operation: Operation;
      message: string;
      retryInMs?: number;
    };

/** Counters shared by every device of a fleet. */
export interface FleetCounters {
  checkIns: number;
  commandsExecuted: number;
  policiesApplied: number;
  errors: number;
  /** Audit events devices collected, counted when they prepare an upload. */
  eventsGenerated: number;
  /** Events the server took in an upload (stored, already stored, or dropped by its gates). */
  eventsUploaded: number;
  /** Of those, the events the server did not store because the policy or the user's consent forbids the category. */
  eventsDropped: number;
  /** Events the server refused as invalid, or in a batch it refused as a whole; never sent again. */
  eventsRejected: number;
  /** Upload requests the server answered (200, or 422 with a per-event report). */
  uploads: number;
}

export function newFleetCounters(): FleetCounters {
  return {
    checkIns: 0,
    commandsExecuted: 0,
    policiesApplied: 0,
    errors: 0,
    eventsGenerated: 0,
    eventsUploaded: 0,
    eventsDropped: 0,
    eventsRejected: 0,
    uploads: 0,
  };
}
